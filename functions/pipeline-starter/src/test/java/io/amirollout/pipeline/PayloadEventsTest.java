package io.amirollout.pipeline;

import io.amirollout.shared.InvalidEventException;
import io.amirollout.shared.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PayloadEventsTest {

    private static List<Candidate> read(String json) {
        return PayloadEvents.read(Json.readTree(json));
    }

    @Test
    void eventBridgeObjectCreatedCarriesVersionEtagSizeAndSequencer() {
        List<Candidate> c = read("""
                {"version":"0","detail-type":"Object Created","source":"aws.s3","region":"eu-west-1",
                 "detail":{"bucket":{"name":"b1"},"object":{"key":"p/x.sh","size":12,"etag":"e1",
                 "version-id":"v1","sequencer":"s1"},"request-id":"r1","reason":"PutObject"}}""");
        PayloadObject o = c.get(0).object();
        assertEquals(new PayloadObject(PayloadEvents.EVENTBRIDGE, "b1", "p/x.sh", "v1", "e1", "s1", "r1", 12L, o.eventId()), o);
    }

    @Test
    void eventBridgeObjectCreatedWithoutVersionId() {
        PayloadObject o = read("""
                {"detail-type":"Object Created","source":"aws.s3","detail":{"bucket":{"name":"b1"},
                 "object":{"key":"x.sh","size":1,"etag":"e1","sequencer":"s1"}}}""").get(0).object();
        assertNull(o.versionId());
        assertEquals("s1", o.sequencer());
    }

    @Test
    void cloudTrailPutObjectWithoutSizeOrEtag() {
        PayloadObject o = read("""
                {"detail-type":"AWS API Call via CloudTrail","source":"aws.s3","detail":{
                 "eventName":"PutObject","requestParameters":{"bucketName":"b1","key":"p/golden al2023.sh"},
                 "responseElements":null,"requestID":"REQ1"}}""").get(0).object();
        assertEquals(PayloadEvents.CLOUDTRAIL, o.shape());
        assertEquals("p/golden al2023.sh", o.key(), "CloudTrail keys are the raw request parameter, not URL-encoded");
        assertNull(o.size());
        assertNull(o.etag());
        assertEquals("REQ1", o.requestId());
    }

    @Test
    void cloudTrailVersionAndBytesAreUsedWhenPresent() {
        PayloadObject o = read("""
                {"detail-type":"AWS API Call via CloudTrail","source":"aws.s3","detail":{
                 "eventName":"PutObject","requestParameters":{"bucketName":"b1","key":"x.sh"},
                 "responseElements":{"x-amz-version-id":"v9"},"additionalEventData":{"bytesTransferredIn":0}}}""")
                .get(0).object();
        assertEquals("v9", o.versionId());
        assertEquals(0L, o.size());
    }

    @Test
    void cloudTrailOtherCallsAndFailedCallsAreSkipped() {
        Candidate bucket = read("""
                {"detail-type":"AWS API Call via CloudTrail","source":"aws.s3","detail":{
                 "eventName":"CreateBucket","requestParameters":{"bucketName":"b1"}}}""").get(0);
        assertNull(bucket.object());
        assertTrue(bucket.skipReason().contains("CreateBucket"));
        Candidate denied = read("""
                {"detail-type":"AWS API Call via CloudTrail","source":"aws.s3","detail":{
                 "eventName":"PutObject","errorCode":"AccessDenied",
                 "requestParameters":{"bucketName":"b1","key":"x.sh"}}}""").get(0);
        assertNull(denied.object());
        assertTrue(denied.skipReason().contains("AccessDenied"), denied.skipReason());
    }

    @Test
    void otherEventBridgeEventsAreSkippedWithReason() {
        Candidate deleted = read("""
                {"detail-type":"Object Deleted","source":"aws.s3","detail":{"bucket":{"name":"b1"}}}""").get(0);
        assertTrue(deleted.skipReason().contains("Object Deleted"));
        Candidate ec2 = read("""
                {"detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","detail":{}}""").get(0);
        assertTrue(ec2.skipReason().contains("aws.ec2"));
    }

    @Test
    void classicNotificationKeysAreUrlDecodedAndEveryRecordIsRead() {
        List<Candidate> c = read("""
                {"Records":[
                 {"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b1"},
                  "object":{"key":"p/golden+al2023+hotfix%2B1.sh","size":5,"eTag":"e1","versionId":"v1","sequencer":"s1"}}},
                 {"eventName":"ObjectCreated:CompleteMultipartUpload","s3":{"bucket":{"name":"b1"},
                  "object":{"key":"Happy%20Face.sh","size":5,"eTag":"e2","sequencer":"s2"}}},
                 {"eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"b1"},"object":{"key":"old.sh","sequencer":"s3"}}}]}""");
        assertEquals(3, c.size());
        assertEquals("p/golden al2023 hotfix+1.sh", c.get(0).object().key());
        assertEquals("Happy Face.sh", c.get(1).object().key());
        assertNull(c.get(2).object());
        assertTrue(c.get(2).skipReason().contains("ObjectRemoved:Delete"));
    }

    @Test
    void oneMalformedRecordDoesNotStopTheValidOnes() {
        List<Candidate> c = read("""
                {"Records":[
                 {"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b1"},"object":{"key":"bad%zz.sh"}}},
                 {"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b1"},
                  "object":{"key":"p/ta b.sh+","size":5,"eTag":"e1","versionId":"v1","sequencer":"s1"}}}]}""");
        assertEquals(2, c.size());
        assertTrue(c.get(0).invalid());
        assertTrue(c.get(0).skipReason().startsWith("Records[0]: "), c.get(0).skipReason());
        assertEquals("p/ta b.sh ", c.get(1).object().key(), "a trailing space is part of the key: never trimmed");
    }

    @Test
    void eventBridgeKeysAreUsedExactlyWithoutTrimming() {
        Candidate c = read("""
                {"version":"0","id":"ev-1","detail-type":"Object Created","source":"aws.s3","account":"1","time":"t",
                 "region":"eu-west-1","resources":[],"detail":{"bucket":{"name":"b1"},
                 "object":{"key":" p/x.sh ","etag":"e","version-id":"v"}}}""").get(0);
        assertEquals(" p/x.sh ", c.object().key());
        assertEquals("ev-1", c.object().eventId());
    }

    @Test
    void s3TestEventIsSkipped() {
        Candidate c = read("""
                {"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"b1"}""").get(0);
        assertNull(c.object());
        assertTrue(c.skipReason().contains("test event"));
    }

    @Test
    void wrongShapesAreInvalid() {
        assertThrows(InvalidEventException.class, () -> read("{\"hello\":1}"));
        assertThrows(InvalidEventException.class, () -> read("{\"Records\":[]}"));
        assertThrows(InvalidEventException.class, () -> read("{\"Records\":[{\"Sns\":{}}]}"));
        assertThrows(InvalidEventException.class, () -> read("""
                {"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b1"},"object":{}}}]}"""));
        assertThrows(InvalidEventException.class, () -> read("""
                {"detail-type":"Object Created","source":"aws.s3","detail":{"bucket":{"name":"b1"}}}"""));
        assertThrows(InvalidEventException.class, () -> read("""
                {"detail-type":"AWS API Call via CloudTrail","source":"aws.s3","detail":{"eventName":"PutObject"}}"""));
        InvalidEventException badEncoding = assertThrows(InvalidEventException.class, () -> read("""
                {"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b1"},"object":{"key":"bad%zz.sh"}}}]}"""));
        assertTrue(badEncoding.getMessage().contains("bad%zz.sh"));
    }
}
