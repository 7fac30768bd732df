package io.amirollout.slack;

import io.amirollout.shared.testing.MutableClock;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.amazonaws.services.lambda.runtime.tests.annotations.Events;
import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.Json;
import io.amirollout.shared.testing.FakeContext;
import io.amirollout.shared.testing.StreamInvocation;
import io.amirollout.shared.testing.IamActions;
import io.amirollout.shared.testing.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.amirollout.slack.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.*;

/** The stream handler fed every file in events/slack-notifier/, plus its failure policy end to end. */
class SlackNotifierHandlerTest {

    static final String EVENTS = "../../events/slack-notifier/";

    /** Every sample: the header and colour a person sees in Slack. A new sample without an entry fails the coverage test. */
    static final Map<String, String[]> EXPECTED = Map.ofEntries(
            Map.entry("sns-notice-refresh-started.json", new String[] {":information_source: Instance refresh started for web-asg", "#439FE0"}),
            Map.entry("sns-notice-rollback-started.json", new String[] {":warning: Rolling back the instance refresh of web-asg", "warning"}),
            Map.entry("sns-notice-refresh-failed.json", new String[] {":rotating_light: Instance refresh could not start for api-asg", "danger"}),
            Map.entry("sns-notice-fanout-completed.json", new String[] {":white_check_mark: golden-al2023 1.0.3/1 sent to 3 of 3 accounts", "good"}),
            Map.entry("sns-cloudwatch-alarm-message.json", new String[] {":rotating_light: Alarm ALARM: web-asg-ecs-task-errors", "danger"}),
            Map.entry("sns-plain-text-message.json", new String[] {":information_source: ami-rollout paused", "#439FE0"}),
            Map.entry("asg-instance-refresh-started.json", new String[] {":information_source: Instance refresh started: web-asg", "#439FE0"}),
            Map.entry("asg-instance-refresh-checkpoint-reached.json", new String[] {":information_source: Instance refresh checkpoint reached: web-asg", "#439FE0"}),
            Map.entry("asg-instance-refresh-started-baking.json", new String[] {":information_source: Instance refresh baking: web-asg", "#439FE0"}),
            Map.entry("asg-instance-refresh-succeeded.json", new String[] {":white_check_mark: Instance refresh succeeded: web-asg", "good"}),
            Map.entry("asg-instance-refresh-failed.json", new String[] {":rotating_light: Instance refresh failed: web-asg", "danger"}),
            Map.entry("asg-instance-refresh-cancelled.json", new String[] {":warning: Instance refresh cancelled: web-asg", "warning"}),
            Map.entry("asg-instance-refresh-rollback-started.json", new String[] {":warning: Instance refresh rollback started: web-asg", "warning"}),
            Map.entry("asg-instance-refresh-rollback-succeeded.json", new String[] {":warning: Instance refresh rolled back: web-asg", "warning"}),
            Map.entry("asg-instance-refresh-rollback-failed.json", new String[] {":rotating_light: Instance refresh rollback failed: web-asg", "danger"}),
            Map.entry("imagebuilder-image-state-change-available.json", new String[] {":white_check_mark: Image golden-al2023 1.0.3/1: AVAILABLE", "good"}),
            Map.entry("imagebuilder-image-state-change-failed.json", new String[] {":rotating_light: Image golden-al2023 1.0.4/1: FAILED", "danger"}),
            Map.entry("cloudwatch-alarm-state-change-alarm.json", new String[] {":rotating_light: Alarm ALARM: web-asg-ecs-task-errors", "danger"}),
            Map.entry("unknown-eventbridge-event.json", new String[] {":warning: EC2 Instance Launch Unsuccessful", "warning"}),
            Map.entry("unknown-json.json", new String[] {":warning: Unrecognised event", "warning"}));
    /** Samples with no Lambda runtime type (a direct invocation's custom JSON): fed as raw bytes only. */
    static final Set<String> RAW_ONLY = Set.of("unknown-json.json");

    private SecretsManagerClient secrets;
    private ScriptedTransport slack;
    private FakeContext context;
    private RecordingSleeper sleeper;
    private MutableClock clock;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() {
        secrets = mock(SecretsManagerClient.class);
        when(secrets.getSecretValue(any(Consumer.class))).thenCallRealMethod();
        when(secrets.getSecretValue(any(GetSecretValueRequest.class)))
                .thenReturn(GetSecretValueResponse.builder().secretString("{\"webhookUrl\":\"" + WEBHOOK + "\"}").build());
        slack = ScriptedTransport.ok();
        context = new FakeContext("slack-notifier", 30_000);
        sleeper = new RecordingSleeper(context);
        clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    }

    private SlackNotifierHandler handler(boolean dryRun, WebhookSource source) {
        SlackNotifierService service = new SlackNotifierService(new MessageFactory(new ConsoleLinks("https://console.aws.amazon.com")),
                new CachedWebhookUrl(source, Duration.ofSeconds(300), clock),
                new SlackWebhookClient(slack, sleeper, Duration.ofSeconds(5), () -> 0.5), dryRun, clock);
        return new SlackNotifierHandler(service);
    }

    private SlackNotifierHandler handler(boolean dryRun) {
        return handler(dryRun, new SecretsManagerWebhookSource(secrets, "ami-rollout/slack"));
    }

    private JsonNode invoke(SlackNotifierHandler handler, InputStream input) {
        return StreamInvocation.invoke(handler, input, context);
    }

    private static InputStream bytes(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- samples through the runtime's own types

    @ParameterizedTest
    @Events(type = SNSEvent.class, events = {
            @Event(value = EVENTS + "sns-notice-refresh-started.json", type = SNSEvent.class),
            @Event(value = EVENTS + "sns-notice-rollback-started.json", type = SNSEvent.class),
            @Event(value = EVENTS + "sns-notice-refresh-failed.json", type = SNSEvent.class),
            @Event(value = EVENTS + "sns-notice-fanout-completed.json", type = SNSEvent.class),
            @Event(value = EVENTS + "sns-cloudwatch-alarm-message.json", type = SNSEvent.class),
            @Event(value = EVENTS + "sns-plain-text-message.json", type = SNSEvent.class)})
    void snsSamplesDeserialiseWithTheRuntimeTypes(SNSEvent event) {
        assertEquals(1, event.getRecords().size());
        SNSEvent.SNS sns = event.getRecords().get(0).getSNS();
        assertEquals("aws:sns", event.getRecords().get(0).getEventSource());
        assertNotNull(sns.getMessage());
        assertNotNull(sns.getTopicArn());
        assertNotNull(sns.getTimestamp());
        if (sns.getMessage().contains("\"kind\"")) {
            assertNotNull(Json.convert(Json.readTree(sns.getMessage()), io.amirollout.shared.Notification.class).kind());
            assertEquals(sns.getMessageAttributes().get("kind").getValue(), Json.readTree(sns.getMessage()).get("kind").asText());
        }
    }

    @ParameterizedTest
    @Events(type = ScheduledEvent.class, events = {
            @Event(value = EVENTS + "asg-instance-refresh-started.json", type = ScheduledEvent.class),
            @Event(value = EVENTS + "asg-instance-refresh-checkpoint-reached.json", type = ScheduledEvent.class),
            @Event(value = EVENTS + "asg-instance-refresh-started-baking.json", type = ScheduledEvent.class),
            @Event(value = EVENTS + "asg-instance-refresh-succeeded.json", type = ScheduledEvent.class),
            @Event(value = EVENTS + "asg-instance-refresh-failed.json", type = ScheduledEvent.class),
            @Event(value = EVENTS + "asg-instance-refresh-cancelled.json", type = ScheduledEvent.class),
            @Event(value = EVENTS + "asg-instance-refresh-rollback-started.json", type = ScheduledEvent.class),
            @Event(value = EVENTS + "asg-instance-refresh-rollback-succeeded.json", type = ScheduledEvent.class),
            @Event(value = EVENTS + "asg-instance-refresh-rollback-failed.json", type = ScheduledEvent.class),
            @Event(value = EVENTS + "imagebuilder-image-state-change-available.json", type = ScheduledEvent.class),
            @Event(value = EVENTS + "imagebuilder-image-state-change-failed.json", type = ScheduledEvent.class),
            @Event(value = EVENTS + "cloudwatch-alarm-state-change-alarm.json", type = ScheduledEvent.class),
            @Event(value = EVENTS + "unknown-eventbridge-event.json", type = ScheduledEvent.class)})
    void eventBridgeSamplesDeserialiseWithTheRuntimeTypes(ScheduledEvent event) {
        assertNotNull(event.getDetailType());
        assertNotNull(event.getSource());
        assertNotNull(event.getTime(), "a real timestamp, not AWS's yyyy-mm-dd placeholder");
        assertTrue(event.getAccount().matches("\\d{12}"));
        assertEquals("eu-west-1", event.getRegion());
        assertFalse(event.getDetail().isEmpty());
        assertFalse(event.getResources().isEmpty());
    }

    @Test
    void everySampleIsCoveredByTheTypedAndTheRawTests() throws Exception {
        Set<String> files;
        try (Stream<Path> list = Files.list(Path.of(EVENTS))) {
            // Queue batches (sqs-*.json) answer a partial batch response, not one message: QueueDeliveryTest.
            files = list.map(p -> p.getFileName().toString()).filter(f -> !f.startsWith("sqs-"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(files, new TreeSet<>(EXPECTED.keySet()), "every sample needs an expected outcome");
        Set<String> typed = new TreeSet<>(RAW_ONLY);
        for (String method : new String[] {"snsSamplesDeserialiseWithTheRuntimeTypes", "eventBridgeSamplesDeserialiseWithTheRuntimeTypes"}) {
            Events events = Arrays.stream(getClass().getDeclaredMethods()).filter(m -> m.getName().equals(method))
                    .findFirst().orElseThrow().getAnnotation(Events.class);
            Arrays.stream(events.events()).map(e -> Path.of(e.value()).getFileName().toString()).forEach(typed::add);
        }
        assertEquals(files, typed, "every sample with a runtime type is deserialised with it");
    }

    static Stream<String> samples() {
        return EXPECTED.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySampleIsPostedAsBlockKit(String file) {
        JsonNode result = invoke(handler(false), TestFiles.stream(EVENTS + file));

        assertEquals("DELIVERED", result.get("status").asText(), result.toString());
        assertEquals(1, slack.requests.size());
        assertEquals(WEBHOOK_URI, slack.requests.get(0).url());
        JsonNode payload = Json.readTree(slack.requests.get(0).json());
        assertFalse(payload.get("text").asText().isBlank());
        JsonNode attachment = payload.get("attachments").get(0);
        assertEquals(EXPECTED.get(file)[1], attachment.get("color").asText());
        assertEquals(EXPECTED.get(file)[0], attachment.get("blocks").get(0).get("text").get("text").asText());
        assertTrue(attachment.get("blocks").size() <= BlockKit.MAX_BLOCKS);
        JsonNode outcome = result.get("messages").get(0);
        assertEquals("DELIVERED", outcome.get("outcome").asText());
        assertEquals(1, outcome.get("attempts").asInt());
        assertEquals(200, outcome.get("httpStatus").asInt());
    }

    // ---------------------------------------------------------------- input problems

    @Test
    void malformedJsonFailsWithNothingPosted() {
        JsonNode result = invoke(handler(false), bytes("{\"Records\": [ oops"));
        assertEquals("FAILED", result.get("status").asText());
        assertTrue(result.get("error").asText().contains("not valid JSON"), result.toString());
        assertTrue(slack.requests.isEmpty());
        verifyNoInteractions(secrets);
    }

    @Test
    void emptyInputFailsWithNothingPosted() {
        JsonNode result = invoke(handler(false), bytes(""));
        assertEquals("FAILED", result.get("status").asText());
        assertTrue(slack.requests.isEmpty());
    }

    // ---------------------------------------------------------------- dry run

    @Test
    void dryRunBuildsButDoesNotReadTheSecretOrPost() {
        JsonNode result = invoke(handler(true), TestFiles.stream(EVENTS + "asg-instance-refresh-started.json"));
        assertEquals("DRY_RUN", result.get("status").asText());
        assertTrue(result.get("dryRun").asBoolean());
        assertEquals("DRY_RUN", result.get("messages").get(0).get("outcome").asText());
        assertEquals("Instance refresh started: web-asg", result.get("messages").get(0).get("title").asText());
        assertTrue(slack.requests.isEmpty());
        verifyNoInteractions(secrets);
    }

    @Test
    void dryRunFromTheEvent() {
        JsonNode result = invoke(handler(false), bytes("{\"kind\":\"REFRESH_STARTED\",\"title\":\"t\",\"dryRun\":true}"));
        assertEquals("DRY_RUN", result.get("status").asText());
        assertTrue(slack.requests.isEmpty());
    }

    // ---------------------------------------------------------------- delivery failures

    @Test
    void rateLimitedThenOkIsDelivered() {
        slack = new ScriptedTransport(rateLimited("2"), status(200, "ok"));
        JsonNode result = invoke(handler(false), TestFiles.stream(EVENTS + "sns-notice-rollback-started.json"));
        assertEquals("DELIVERED", result.get("status").asText());
        assertEquals(2, result.get("messages").get(0).get("attempts").asInt());
        assertEquals(java.util.List.of(Duration.ofSeconds(2)), sleeper.waits);
    }

    @Test
    void permanentRefusalFailsTheInvocationNamingTheCause() {
        slack = new ScriptedTransport(status(400, "invalid_payload"));
        SlackNotifierHandler handler = handler(false);
        SlackDeliveryException e = assertThrows(SlackDeliveryException.class,
                () -> handler.handleRequest(TestFiles.stream(EVENTS + "asg-instance-refresh-failed.json"), new ByteArrayOutputStream(), context));
        assertTrue(e.getMessage().contains("PERMANENT_FAILURE HTTP 400: invalid_payload"), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN), "never the webhook URL");
        assertEquals(1, slack.requests.size(), "exactly one request: no retry for a 400");
    }

    @Test
    void transientFailureThrowsSoLambdaRetries() {
        slack = new ScriptedTransport(status(503, "service unavailable"));
        SlackNotifierHandler handler = handler(false);
        SlackDeliveryException e = assertThrows(SlackDeliveryException.class,
                () -> handler.handleRequest(TestFiles.stream(EVENTS + "asg-instance-refresh-started.json"), new ByteArrayOutputStream(), context));
        assertTrue(e.getMessage().contains("1 of 1"), e.getMessage());
        assertEquals(SlackWebhookClient.MAX_ATTEMPTS, slack.requests.size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void unreadableWebhookThrowsSoLambdaRetries() {
        reset(secrets);
        when(secrets.getSecretValue(any(Consumer.class))).thenCallRealMethod();
        when(secrets.getSecretValue(any(GetSecretValueRequest.class))).thenThrow(ResourceNotFoundException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").errorMessage("not found").build()).build());
        SlackNotifierHandler handler = handler(false);
        assertThrows(SlackDeliveryException.class,
                () -> handler.handleRequest(TestFiles.stream(EVENTS + "asg-instance-refresh-started.json"), new ByteArrayOutputStream(), context));
        assertTrue(slack.requests.isEmpty());
    }

    // ---------------------------------------------------------------- duplicate deliveries

    @Test
    void aDuplicateDeliveryIsPostedOnce() {
        SlackNotifierHandler handler = handler(false);
        invoke(handler, TestFiles.stream(EVENTS + "sns-notice-rollback-started.json"));
        JsonNode second = invoke(handler, TestFiles.stream(EVENTS + "sns-notice-rollback-started.json"));
        assertEquals("DELIVERED", second.get("status").asText());
        assertEquals("DUPLICATE", second.get("messages").get(0).get("outcome").asText());
        assertEquals(1, slack.requests.size());

        invoke(handler, TestFiles.stream(EVENTS + "asg-instance-refresh-rollback-started.json"));
        invoke(handler, TestFiles.stream(EVENTS + "asg-instance-refresh-rollback-started.json"));
        assertEquals(2, slack.requests.size());
    }

    @Test
    void duplicatesAreForgottenAfterAnHour() {
        SlackNotifierHandler handler = handler(false);
        invoke(handler, TestFiles.stream(EVENTS + "asg-instance-refresh-started.json"));
        clock.advance(RecentDeliveries.MAX_AGE.plusSeconds(1));
        invoke(handler, TestFiles.stream(EVENTS + "asg-instance-refresh-started.json"));
        assertEquals(2, slack.requests.size());
    }

    @Test
    void aDeliveryThatFailedIsPostedWhenLambdaRetriesIt() {
        slack = new ScriptedTransport(status(503, ""), status(503, ""), status(503, ""), status(503, ""), status(503, ""), status(200, "ok"));
        SlackNotifierHandler handler = handler(false);
        assertThrows(SlackDeliveryException.class, () -> handler.handleRequest(
                TestFiles.stream(EVENTS + "sns-notice-refresh-failed.json"), new ByteArrayOutputStream(), context));
        context.remainingMillis(30_000);
        JsonNode retry = invoke(handler, TestFiles.stream(EVENTS + "sns-notice-refresh-failed.json"));
        assertEquals("DELIVERED", retry.get("messages").get(0).get("outcome").asText());
        assertEquals(6, slack.requests.size());
    }

    @Test
    void directInvocationsHaveNoIdAndAreAlwaysPosted() {
        SlackNotifierHandler handler = handler(false);
        invoke(handler, TestFiles.stream(EVENTS + "unknown-json.json"));
        invoke(handler, TestFiles.stream(EVENTS + "unknown-json.json"));
        assertEquals(2, slack.requests.size());
    }

    // ---------------------------------------------------------------- webhook URL cache

    @Test
    void theSecretIsReadOncePerContainerUntilItExpires() {
        SlackNotifierHandler handler = handler(false);
        invoke(handler, TestFiles.stream(EVENTS + "asg-instance-refresh-started.json"));
        invoke(handler, TestFiles.stream(EVENTS + "asg-instance-refresh-succeeded.json"));
        verify(secrets, times(1)).getSecretValue(any(GetSecretValueRequest.class));

        clock.advance(Duration.ofSeconds(301));
        invoke(handler, TestFiles.stream(EVENTS + "asg-instance-refresh-failed.json"));
        verify(secrets, times(2)).getSecretValue(any(GetSecretValueRequest.class));
        assertEquals(3, slack.requests.size());
        IamActions.assertListed("iam-actions.txt", Map.of("secretsmanager", secrets));
    }

    @Test
    void aGoneWebhookIsReadAgainOnceThenTheInvocationFailsWithTheCause() {
        slack = new ScriptedTransport(status(404, "no_service"), status(200, "ok"));
        SlackNotifierHandler handler = handler(false);
        SlackDeliveryException e = assertThrows(SlackDeliveryException.class,
                () -> handler.handleRequest(TestFiles.stream(EVENTS + "asg-instance-refresh-started.json"), new ByteArrayOutputStream(), context));
        assertTrue(e.getMessage().contains("HTTP 404: no_service"), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN));
        verify(secrets, times(2)).getSecretValue(any(GetSecretValueRequest.class));
        assertEquals(1, slack.requests.size(), "the URL did not change: no second post to a revoked webhook");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRotatedWebhookIsUsedAtOnceAfterA410() {
        String rotated = "https://hooks.slack.com/services/T0ROLLOUT/B0ROTATED/" + TOKEN + "new";
        when(secrets.getSecretValue(any(GetSecretValueRequest.class)))
                .thenReturn(GetSecretValueResponse.builder().secretString(WEBHOOK).build())
                .thenReturn(GetSecretValueResponse.builder().secretString(rotated).build());
        slack = new ScriptedTransport(status(410, "channel_is_archived"), status(200, "ok"));
        JsonNode result = invoke(handler(false), TestFiles.stream(EVENTS + "asg-instance-refresh-started.json"));
        assertEquals("DELIVERED", result.get("status").asText());
        assertEquals(2, slack.requests.size());
        assertEquals(java.net.URI.create(rotated), slack.requests.get(1).url());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMissingWebhookParameterIsNamedInTheError() {
        SsmClient ssm = mock(SsmClient.class);
        when(ssm.getParameter(any(Consumer.class))).thenCallRealMethod();
        when(ssm.getParameter(any(GetParameterRequest.class))).thenThrow(software.amazon.awssdk.services.ssm.model.ParameterNotFoundException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ParameterNotFound").errorMessage("not found").build()).build());
        SlackNotifierHandler handler = handler(false, new SsmWebhookSource(ssm, "/ami-rollout/slack-webhook"));
        SlackDeliveryException e = assertThrows(SlackDeliveryException.class,
                () -> handler.handleRequest(TestFiles.stream(EVENTS + "asg-instance-refresh-started.json"), new ByteArrayOutputStream(), context));
        assertTrue(e.getMessage().contains("/ami-rollout/slack-webhook") && e.getMessage().contains("ParameterNotFound"), e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void ssmParameterSource() {
        SsmClient ssm = mock(SsmClient.class);
        when(ssm.getParameter(any(Consumer.class))).thenCallRealMethod();
        when(ssm.getParameter(any(GetParameterRequest.class))).thenReturn(GetParameterResponse.builder()
                .parameter(Parameter.builder().name("/ami-rollout/slack-webhook").value(WEBHOOK).build()).build());
        SlackNotifierHandler handler = handler(false, new SsmWebhookSource(ssm, "/ami-rollout/slack-webhook"));
        JsonNode result = invoke(handler, TestFiles.stream(EVENTS + "sns-notice-refresh-started.json"));
        assertEquals("DELIVERED", result.get("status").asText());
        assertEquals(WEBHOOK_URI, slack.requests.get(0).url());
        IamActions.assertListed("iam-actions.txt", Map.of("ssm", ssm));
    }

    @Test
    void oneFailedMessageDoesNotStopTheNext() throws IOException {
        slack = new ScriptedTransport(status(400, "invalid_payload"), status(200, "ok"));
        JsonNode event = MessageFactoryTest.snsEvent("first", "one");
        JsonNode second = event.get("Records").get(0).deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) event.get("Records")).add(second);
        SlackNotifierHandler handler = handler(false);
        SlackDeliveryException e = assertThrows(SlackDeliveryException.class,
                () -> handler.handleRequest(bytes(event.toString()), new ByteArrayOutputStream(), context));
        assertTrue(e.getMessage().startsWith("1 of 2"), e.getMessage());
        assertEquals(2, slack.requests.size(), "the second message was still posted");
    }

    @Test
    void productionWiringBuildsTheClientForEitherSource() {
        for (Map<String, String> env : java.util.List.of(Map.of("SLACK_WEBHOOK_SECRET_ID", "ami-rollout/slack"),
                Map.of("SLACK_WEBHOOK_PARAMETER", "/ami-rollout/slack-webhook", "DRY_RUN", "true"))) {
            SlackNotifierConfig config = SlackNotifierConfig.from(io.amirollout.shared.Env.of(env));
            assertNotNull(new SlackNotifierHandler(SlackNotifierHandler.create(config)));
        }
    }
}
