package io.amirollout.it;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;

/**
 * Auto Scaling instance refreshes, which moto does not implement: Start, Describe, Cancel and
 * Rollback, answered in the real query/XML format with AWS's error codes. The group itself (its
 * existence, its launch template) is read from moto, so the rules that depend on it are real:
 * AutoRollback is refused for a group still on {@code $Latest}/{@code $Default}, as AWS does.
 * Refreshes never progress on their own; a test moves them with {@link #setStatus}.
 */
public final class InstanceRefreshEmulator {

    public static final Set<String> ACTIVE = Set.of("Pending", "InProgress", "Cancelling", "RollbackInProgress", "Baking");
    private static final String NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    /** One refresh as Describe shows it; {@code desired} and {@code preferences} are the request's flattened parameters. */
    public static final class Refresh {
        public final String id;
        public final String group;
        public volatile String status;
        public volatile String statusReason;
        public final Instant startTime;
        public volatile Instant endTime;
        public final Map<String, String> desired;
        public final Map<String, String> preferences;
        public volatile boolean irreversible;

        Refresh(String id, String group, String status, Instant startTime, Map<String, String> desired, Map<String, String> preferences) {
            this.id = id;
            this.group = group;
            this.status = status;
            this.startTime = startTime;
            this.desired = Map.copyOf(desired);
            this.preferences = Map.copyOf(preferences);
        }

        /** The launch-template version the refresh moves to (plain or mixed-instances). */
        public String desiredVersion() {
            String plain = desired.get("LaunchTemplate.Version");
            return plain != null ? plain : desired.get("MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.Version");
        }
    }

    private final Forwarder moto;
    private final Map<String, List<Refresh>> byGroup = new ConcurrentHashMap<>();
    /** Injected failures: action -> the errors still to answer before the call is emulated again. */
    private final Map<String, java.util.Deque<ResponseDefinition>> failures = new ConcurrentHashMap<>();
    /** When set, the next StartInstanceRefresh starts the refresh but answers 503 (a lost response: the SDK retries). */
    private volatile boolean loseNextStartResponse;

    InstanceRefreshEmulator(Forwarder moto) {
        this.moto = moto;
    }

    /** Every refresh of the group, oldest first. */
    public List<Refresh> refreshes(String group) {
        return List.copyOf(byGroup.getOrDefault(group, List.of()));
    }

    /** Puts a refresh in place as if it had been started earlier (for rollback scenarios). */
    public Refresh seed(String group, String status, String launchTemplateId, String version, Instant startTime) {
        Map<String, String> desired = new LinkedHashMap<>();
        desired.put("LaunchTemplate.LaunchTemplateId", launchTemplateId);
        desired.put("LaunchTemplate.Version", version);
        Refresh refresh = new Refresh(UUID.randomUUID().toString(), group, status, startTime, desired,
                Map.of("MinHealthyPercentage", "90", "AutoRollback", "true", "SkipMatching", "true"));
        if (!ACTIVE.contains(status)) {
            refresh.endTime = startTime.plusSeconds(900);
        }
        list(group).add(refresh);
        return refresh;
    }

    public void setStatus(String group, String status) {
        Refresh latest = latest(group).orElseThrow(() -> new IllegalStateException("no refresh for " + group));
        latest.status = status;
        if (!ACTIVE.contains(status)) {
            latest.endTime = Instant.now();
        }
    }

    public void reset() {
        byGroup.clear();
        failures.clear();
        loseNextStartResponse = false;
    }

    /**
     * The next {@code times} calls of {@code action} answer this AWS error instead of being emulated
     * (e.g. 400 Throttling, 500 ResourceContention: what the SDK retries; 403 AccessDenied: what it does not).
     */
    public void failNext(String action, int times, int status, String code, String message) {
        java.util.Deque<ResponseDefinition> queue = failures.computeIfAbsent(action, a -> new java.util.concurrent.ConcurrentLinkedDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(error(status, code, message));
        }
    }

    /**
     * The next StartInstanceRefresh starts its refresh and then answers 503, as when the response is lost
     * on the way back: the SDK retries the call, and the retry meets the refresh its first attempt started.
     */
    public void loseNextStartResponse() {
        loseNextStartResponse = true;
    }

    /** Forgets the history of a group, as AWS does after six weeks (DescribeInstanceRefreshes horizon). */
    public void forgetHistory(String group) {
        byGroup.remove(group);
    }

    ResponseDefinition handle(String action, Request request) {
        java.util.Deque<ResponseDefinition> injected = failures.get(action);
        ResponseDefinition failure = injected == null ? null : injected.poll();
        if (failure != null) {
            return failure;
        }
        Map<String, String> params = QueryForm.parse(request.getBodyAsString());
        String group = params.get("AutoScalingGroupName");
        return switch (action) {
            case "StartInstanceRefresh" -> start(request, group, params);
            case "DescribeInstanceRefreshes" -> describe(group, params);
            case "CancelInstanceRefresh" -> cancel(group);
            case "RollbackInstanceRefresh" -> rollback(group);
            default -> error(400, "InvalidAction", "not emulated: " + action);
        };
    }

    /** Synchronized: AWS allows one active refresh per group, and two concurrent starts must not both pass the check. */
    private synchronized ResponseDefinition start(Request request, String group, Map<String, String> params) {
        GroupInMoto inMoto = groupInMoto(request, group);
        if (!inMoto.exists()) {
            return error(400, "ValidationError", "AutoScalingGroup name not found - AutoScalingGroup " + group + " not found");
        }
        if (latest(group).filter(r -> ACTIVE.contains(r.status)).isPresent()) {
            return error(400, "InstanceRefreshInProgress",
                    "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.");
        }
        Map<String, String> desired = QueryForm.under(params, "DesiredConfiguration");
        Map<String, String> preferences = QueryForm.under(params, "Preferences");
        if ("true".equalsIgnoreCase(preferences.get("AutoRollback"))) {
            if (desired.isEmpty()) {
                return error(400, "ValidationError", "AutoRollback requires a DesiredConfiguration.");
            }
            String current = inMoto.launchTemplateVersion();
            if ("$Latest".equals(current) || "$Default".equals(current)) {
                return error(400, "ValidationError", "Rollback is not supported when the Auto Scaling group's launch template "
                        + "version is " + current + ". Specify a version number instead.");
            }
            String target = new Refresh("", group, "", Instant.now(), desired, preferences).desiredVersion();
            if ("$Latest".equals(target) || "$Default".equals(target)) {
                return error(400, "ValidationError", "Rollback is not supported when the desired configuration's launch "
                        + "template version is " + target + ".");
            }
        }
        Refresh refresh = new Refresh(UUID.randomUUID().toString(), group, "InProgress", Instant.now(), desired, preferences);
 list(group).add(refresh);
        if (loseNextStartResponse) {
            loseNextStartResponse = false;
            return error(503, "ServiceUnavailable", "test front: the refresh was started but this response was lost");
        }
        return ok("StartInstanceRefresh", "<InstanceRefreshId>" + refresh.id + "</InstanceRefreshId>");
    }

    private ResponseDefinition describe(String group, Map<String, String> params) {
        List<String> ids = new ArrayList<>();
        params.forEach((k, v) -> {
            if (k.startsWith("InstanceRefreshIds.member.")) {
                ids.add(v);
            }
        });
        StringBuilder members = new StringBuilder();
        List<Refresh> all = new ArrayList<>(refreshes(group));
        java.util.Collections.reverse(all); // newest first, as AWS lists them
        for (Refresh r : all) {
            if (!ids.isEmpty() && !ids.contains(r.id)) {
                continue;
            }
            members.append("<member>")
                    .append("<InstanceRefreshId>").append(r.id).append("</InstanceRefreshId>")
                    .append("<AutoScalingGroupName>").append(QueryForm.escape(r.group)).append("</AutoScalingGroupName>")
                    .append("<Status>").append(r.status).append("</Status>")
                    .append(r.statusReason == null ? "" : "<StatusReason>" + QueryForm.escape(r.statusReason) + "</StatusReason>")
                    .append("<StartTime>").append(r.startTime).append("</StartTime>")
                    .append(r.endTime == null ? "" : "<EndTime>" + r.endTime + "</EndTime>")
                    .append("<PercentageComplete>").append("Successful".equals(r.status) ? 100 : 0).append("</PercentageComplete>")
                    .append("<InstancesToUpdate>").append("Successful".equals(r.status) ? 0 : 1).append("</InstancesToUpdate>")
                    .append(r.preferences.isEmpty() ? "" : "<Preferences>" + QueryForm.toXml(r.preferences) + "</Preferences>")
                    .append(r.desired.isEmpty() ? "" : "<DesiredConfiguration>" + QueryForm.toXml(r.desired) + "</DesiredConfiguration>")
                    .append("<Strategy>Rolling</Strategy>")
                    .append("</member>");
        }
        return ok("DescribeInstanceRefreshes", "<InstanceRefreshes>" + members + "</InstanceRefreshes>");
    }

    private ResponseDefinition cancel(String group) {
        Optional<Refresh> active = latest(group).filter(r -> ACTIVE.contains(r.status) && !"Cancelling".equals(r.status));
        if (active.isEmpty()) {
            return error(400, "ActiveInstanceRefreshNotFound", "No in progress or pending Instance Refresh found for Auto Scaling group " + group);
        }
        active.get().status = "Cancelling";
        return ok("CancelInstanceRefresh", "<InstanceRefreshId>" + active.get().id + "</InstanceRefreshId>");
    }

    private ResponseDefinition rollback(String group) {
        Optional<Refresh> active = latest(group).filter(r -> Set.of("Pending", "InProgress", "Baking").contains(r.status));
        if (active.isEmpty()) {
            return error(400, "ActiveInstanceRefreshNotFound", "No in progress or pending Instance Refresh found for Auto Scaling group " + group);
        }
        Refresh refresh = active.get();
        if (refresh.irreversible || refresh.desired.isEmpty()) {
            return error(400, "IrreversibleInstanceRefresh", "The instance refresh " + refresh.id + " cannot be rolled back: "
                    + "it has no desired configuration to return from, or its previous configuration cannot be restored.");
        }
        refresh.status = "RollbackInProgress";
        refresh.statusReason = "Rollback was started by RollbackInstanceRefresh.";
        return ok("RollbackInstanceRefresh", "<InstanceRefreshId>" + refresh.id + "</InstanceRefreshId>");
    }

    private static final Pattern LT_VERSION = Pattern.compile("<LaunchTemplate>.*?<Version>([^<]*)</Version>", Pattern.DOTALL);
    private static final Pattern MIXED_VERSION = Pattern.compile(
            "<MixedInstancesPolicy>.*?<LaunchTemplateSpecification>.*?<Version>([^<]*)</Version>", Pattern.DOTALL);

    /** What moto knows of the group: whether it exists, and its launch-template version (null for a launch configuration). */
    private record GroupInMoto(boolean exists, String launchTemplateVersion) {
    }

    private GroupInMoto groupInMoto(Request original, String group) {
        HttpResponse<String> answer = moto.send(original, "POST", "/", QueryForm.encode(Map.of(
                "Action", "DescribeAutoScalingGroups", "Version", "2011-01-01", "AutoScalingGroupNames.member.1", group)));
        String xml = answer.body();
        if (answer.statusCode() != 200 || !xml.contains("<AutoScalingGroupName>")) {
            return new GroupInMoto(false, null);
        }
        Matcher mixed = MIXED_VERSION.matcher(xml);
        if (mixed.find()) {
            return new GroupInMoto(true, mixed.group(1));
        }
        Matcher plain = LT_VERSION.matcher(xml);
        return new GroupInMoto(true, plain.find() ? plain.group(1) : null);
    }

    private Optional<Refresh> latest(String group) {
        List<Refresh> all = byGroup.getOrDefault(group, List.of());
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private List<Refresh> list(String group) {
        return byGroup.computeIfAbsent(group, g -> java.util.Collections.synchronizedList(new ArrayList<>()));
    }

    private static ResponseDefinition ok(String action, String result) {
        String xml = "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result>" + result + "</" + action + "Result>"
                + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata></" + action + "Response>";
        return responseDefinition().withStatus(200).withHeader("Content-Type", "text/xml").withBody(xml).build();
    }

    static ResponseDefinition error(int status, String code, String message) {
        String xml = "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>"
                + QueryForm.escape(message) + "</Message></Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>";
        return responseDefinition().withStatus(status).withHeader("Content-Type", "text/xml").withBody(xml).build();
    }
}
