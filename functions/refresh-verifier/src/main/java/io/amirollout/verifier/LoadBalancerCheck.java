package io.amirollout.verifier;

import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every target group attached to the group reports each new instance {@code healthy} (DescribeTargetHealth).
 * Target states, per the ELB API reference (TargetHealth): {@code initial} ("Elb.RegistrationInProgress",
 * "Elb.InitialHealthChecking"), {@code healthy}, {@code unhealthy} ("Target.ResponseCodeMismatch",
 * "Target.Timeout", "Target.FailedHealthChecks", ...), {@code unused} ("Target.NotRegistered", ...),
 * {@code draining}, {@code unavailable}. Only {@code healthy} passes; anything else is waited for until the
 * grace period ends (an application that starts slowly is {@code unhealthy} for a few checks first), then fails
 * with each target's state and reason as evidence.
 */
final class LoadBalancerCheck {

    static final String NAME = "load-balancer";

    private final ElasticLoadBalancingV2Client elb;

    LoadBalancerCheck(ElasticLoadBalancingV2Client elb) {
        this.elb = elb;
    }

    CheckResult evaluate(List<String> targetGroupArns, List<String> instanceIds, boolean pastDeadline, Duration limit) {
        if (instanceIds.isEmpty()) {
            return CheckResult.pendingUntil(NAME, "no new instance to look for yet", pastDeadline, limit);
        }
        List<String> notHealthy = new ArrayList<>();
        int healthy = 0;
        List<TargetDescription> targets = instanceIds.stream().map(id -> TargetDescription.builder().id(id).build()).toList();
        for (String arn : targetGroupArns) {
            for (TargetHealthDescription d : elb.describeTargetHealth(r -> r.targetGroupArn(arn).targets(targets)).targetHealthDescriptions()) {
                String state = d.targetHealth() == null ? "unknown" : d.targetHealth().stateAsString();
                if ("healthy".equals(state)) {
                    healthy++;
                } else {
                    String reason = d.targetHealth() == null || d.targetHealth().reasonAsString() == null ? "" : " (" + d.targetHealth().reasonAsString() + ")";
                    notHealthy.add(d.target().id() + " in " + shortName(arn) + ": " + state + reason);
                }
            }
        }
        if (notHealthy.isEmpty()) {
            return CheckResult.passed(NAME, healthy + " target(s) healthy in " + targetGroupArns.size() + " target group(s)");
        }
        return CheckResult.pendingUntil(NAME, String.join(", ", notHealthy), pastDeadline, limit);
    }

    /** {@code arn:...:targetgroup/web/73e2d6bc24d8a067} -> {@code web}. */
    static String shortName(String arn) {
        String[] parts = arn.split("/");
        return parts.length >= 2 ? parts[1] : arn;
    }
}
