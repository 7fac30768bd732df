package io.amirollout.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ClientTokensTest {

    private static final String PIPELINE = "arn:aws:imagebuilder:eu-west-1:111122223333:image-pipeline/golden";

    private static PayloadObject object(String key, String version, String etag, String sequencer, String request) {
        return new PayloadObject("test", "bucket", key, version, etag, sequencer, request, 10L, null);
    }

    @Test
    void tokenFitsTheApiRules() {
        String token = ClientTokens.forObject(PIPELINE, object("x.sh", "v1", null, null, null));
        assertTrue(token.length() >= 1 && token.length() <= ClientTokens.MAX_LENGTH, token);
        assertTrue(token.matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), token);
    }

    @Test
    void sameObjectSameTokenEveryTime() {
        assertEquals(ClientTokens.forObject(PIPELINE, object("x.sh", "v1", "e", "s", "r1")),
                ClientTokens.forObject(PIPELINE, object("x.sh", "v1", "e2", "s2", "r2")),
                "the version id alone identifies a versioned upload, whatever shape delivered it");
        assertEquals(ClientTokens.forObject(PIPELINE, object("x.sh", null, "e", "s", "r1")),
                ClientTokens.forObject(PIPELINE, object("x.sh", null, "e", "s", "r2")));
    }

    @Test
    void differentUploadsDifferentTokens() {
        String v1 = ClientTokens.forObject(PIPELINE, object("x.sh", "v1", null, null, null));
        assertNotEquals(v1, ClientTokens.forObject(PIPELINE, object("x.sh", "v2", null, null, null)));
        assertNotEquals(v1, ClientTokens.forObject(PIPELINE, object("y.sh", "v1", null, null, null)));
        assertNotEquals(v1, ClientTokens.forObject(PIPELINE + "-other", object("x.sh", "v1", null, null, null)));
        assertNotEquals(ClientTokens.forObject(PIPELINE, object("x.sh", null, "e", "s1", null)),
                ClientTokens.forObject(PIPELINE, object("x.sh", null, "e", "s2", null)),
                "re-uploading the same content is a new upload (new sequencer)");
    }

    @Test
    void identityPrefersVersionThenSequencerThenRequest() {
        assertEquals("version:v1", ClientTokens.identity(object("k", "v1", "e", "s", "r")));
        assertEquals("sequencer:s,etag:e", ClientTokens.identity(object("k", null, "e", "s", "r")));
        assertEquals("sequencer:s,etag:e", ClientTokens.identity(object("k", "null", "e", "s", "r")),
                "S3 reports the version id 'null' for objects written before versioning");
        assertEquals("request:r", ClientTokens.identity(object("k", null, null, null, "r")));
        assertEquals("event:ev1", ClientTokens.identity(
                new PayloadObject("t", "bucket", "k", null, null, null, null, 1L, "ev1")));
    }

    @Test
    void aReUploadWithNothingToTellItApartGetsANewTokenEveryTime() {
        // Two uploads of the same key that carry no version, sequencer, ETag, request or event id: the same
        // token would make Image Builder ignore the second one while we reported it STARTED.
        assertNotEquals(ClientTokens.forObject(PIPELINE, object("k", null, null, null, null)),
                ClientTokens.forObject(PIPELINE, object("k", null, null, null, null)));
    }
}
