package io.amirollout.hostname;

import io.amirollout.shared.testing.MutableClock;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.Env;
import io.amirollout.shared.Json;
import io.amirollout.shared.testing.InMemoryStateTable;
import io.amirollout.shared.testing.RecordingPublisher;
import io.amirollout.shared.testing.TestFiles;
import org.mockito.ArgumentCaptor;
import org.mockito.Mockito;
import org.mockito.stubbing.Answer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.CompleteLifecycleActionRequest;
import software.amazon.awssdk.services.autoscaling.model.CompleteLifecycleActionResponse;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;

/**
 * A small simulated account for the service tests: EC2 instances whose tags can disappear, an SNS topic
 * that records every publish, an Auto Scaling client that records completed lifecycle actions, the
 * state table in memory, notices recorded, and a clock the test moves.
 */
final class HostnameWorld {

    static final String EVENTS = "../../events/termination-hostname/";
    static final String TOPIC = "arn:aws:sns:eu-west-1:444455556666:instance-hostnames";
    static final String INSTANCE = "i-0f3a9c1e7b2d45a68";
    static final Instant START = Instant.parse("2026-11-21T15:56:30Z");

    /** An instance as EC2 describes it now; null tags = EC2 answers InvalidInstanceID.NotFound. */
    record Ec2Instance(Map<String, String> tags, String privateDnsName, InstanceStateName state) {
    }

    final Map<String, Ec2Instance> instances = new HashMap<>();
    final Ec2Client ec2 = clientMock(Ec2Client.class);
    final SnsClient sns = clientMock(SnsClient.class);
    final AutoScalingClient autoScaling = clientMock(AutoScalingClient.class);
    final InMemoryStateTable table = new InMemoryStateTable();
    final RecordingPublisher notices = new RecordingPublisher();
    final MutableClock clock = new MutableClock(START);
    private final AtomicInteger messageIds = new AtomicInteger();

    HostnameWorld() {
        when(ec2.describeInstances(any(DescribeInstancesRequest.class))).thenAnswer(inv -> {
            String id = ((DescribeInstancesRequest) inv.getArgument(0)).instanceIds().get(0);
            Ec2Instance instance = instances.get(id);
            if (instance == null) {
                throw Ec2Exception.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("InvalidInstanceID.NotFound").errorMessage("The instance ID '" + id + "' does not exist").build()).build();
            }
            List<Tag> tags = new ArrayList<>();
            instance.tags().forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
            return DescribeInstancesResponse.builder().reservations(Reservation.builder().instances(Instance.builder()
                    .instanceId(id).tags(tags).privateDnsName(instance.privateDnsName())
                    .state(s -> s.name(instance.state())).build()).build()).build();
        });
        when(sns.publish(any(PublishRequest.class))).thenAnswer(inv ->
                PublishResponse.builder().messageId("msg-" + messageIds.incrementAndGet()).build());
        when(autoScaling.completeLifecycleAction(any(CompleteLifecycleActionRequest.class)))
                .thenReturn(CompleteLifecycleActionResponse.builder().build());
    }

    /** SDK client mocks whose Consumer overloads (default methods) run for real and reach the stubbed request variant. */
    static <T> T clientMock(Class<T> type) {
        Answer<Object> answer = invocation -> {
            var method = invocation.getMethod();
            boolean helper = method.getName().endsWith("Paginator")
                    || (method.getParameterCount() == 1 && method.getParameterTypes()[0] == Consumer.class);
            return helper ? invocation.callRealMethod() : Mockito.RETURNS_DEFAULTS.answer(invocation);
        };
        return mock(type, withSettings().defaultAnswer(answer));
    }

    /** The configuration as the template sets it, plus overrides. */
    static TerminationHostnameConfig config(String... overrides) {
        Map<String, String> env = new HashMap<>(Map.of("HOSTNAME_TOPIC_ARN", TOPIC, "STATE_TABLE_NAME", "ami-rollout-state"));
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        return TerminationHostnameConfig.from(Env.of(env));
    }

    static TerminationEvent event(String file) {
        return TerminationEvent.from(Json.readTree(TestFiles.read(EVENTS + file)));
    }

    HostnameWorld running(String id, Map<String, String> tags) {
        instances.put(id, new Ec2Instance(tags, "ip-10-0-1-17.eu-west-1.compute.internal", InstanceStateName.RUNNING));
        return this;
    }

    /** EC2 has disassociated the tags of the terminated instance (it still describes it). */
    void tagsGone(String id) {
        Ec2Instance old = instances.get(id);
        instances.put(id, new Ec2Instance(Map.of(), old.privateDnsName(), InstanceStateName.TERMINATED));
    }

    /** EC2 no longer describes the instance at all. */
    void forgotten(String id) {
        instances.remove(id);
    }

    HostnameService service(TerminationHostnameConfig config) {
        return new HostnameService(ec2, sns, autoScaling, table, notices, config, clock);
    }

    List<PublishRequest> publishes() {
        ArgumentCaptor<PublishRequest> captor = ArgumentCaptor.forClass(PublishRequest.class);
        verify(sns, atLeast(0)).publish(captor.capture());
        return captor.getAllValues();
    }

    List<JsonNode> messages() {
        return publishes().stream().map(p -> Json.readTree(p.message())).toList();
    }

    List<CompleteLifecycleActionRequest> completions() {
        ArgumentCaptor<CompleteLifecycleActionRequest> captor = ArgumentCaptor.forClass(CompleteLifecycleActionRequest.class);
        verify(autoScaling, atLeast(0)).completeLifecycleAction(captor.capture());
        return captor.getAllValues();
    }

}
