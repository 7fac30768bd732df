package io.amirollout.verifier;

import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The group backs an ECS cluster: each new instance is a registered container instance, {@code ACTIVE} ("The ACTIVE
 * status indicates that the container instance can accept tasks") with {@code agentConnected} true ("An instance with
 * an agent that may be unhealthy or stopped return false. Only instances connected to an agent can accept task
 * placement requests"), and every ACTIVE service of the cluster is steady: one deployment, running = desired. A
 * deployment whose {@code rolloutState} is {@code FAILED} fails at once; anything else unsettled is waited for until
 * the timeout.
 */
final class EcsCheck {

    static final String NAME = "ecs";
    /** DescribeContainerInstances takes up to 100 ARNs, DescribeServices up to 10. */
    private static final int INSTANCE_BATCH = 100;
    private static final int SERVICE_BATCH = 10;

    private final EcsClient ecs;

    EcsCheck(EcsClient ecs) {
        this.ecs = ecs;
    }

    CheckResult evaluate(String cluster, List<String> instanceIds, boolean pastDeadline, Duration limit) {
        try {
            return check(cluster, instanceIds, pastDeadline, limit);
        } catch (ClusterNotFoundException e) {
            return CheckResult.failed(NAME, "cluster '" + cluster + "' not found (tag ami-rollout:test-ecs-cluster)");
        }
    }

    private CheckResult check(String cluster, List<String> instanceIds, boolean pastDeadline, Duration limit) {
        if (instanceIds.isEmpty()) {
            return CheckResult.pendingUntil(NAME, "no new instance to look for yet", pastDeadline, limit);
        }
        List<String> arns = new ArrayList<>();
        ecs.listContainerInstancesPaginator(r -> r.cluster(cluster)).containerInstanceArns().forEach(arns::add);
        Map<String, ContainerInstance> byInstance = new HashMap<>();
        for (int i = 0; i < arns.size(); i += INSTANCE_BATCH) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + INSTANCE_BATCH));
            ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(batch)).containerInstances()
                    .forEach(ci -> byInstance.put(ci.ec2InstanceId(), ci));
        }
        List<String> unsettled = new ArrayList<>();
        for (String id : instanceIds) {
            ContainerInstance ci = byInstance.get(id);
            if (ci == null) {
                unsettled.add(id + " not registered");
            } else if (!"ACTIVE".equals(ci.status()) || !Boolean.TRUE.equals(ci.agentConnected())) {
                unsettled.add(id + " " + ci.status() + (Boolean.TRUE.equals(ci.agentConnected()) ? "" : ", agent not connected"));
            }
        }
        List<String> services = new ArrayList<>();
        ecs.listServicesPaginator(r -> r.cluster(cluster)).serviceArns().forEach(services::add);
        for (int i = 0; i < services.size(); i += SERVICE_BATCH) {
            List<String> batch = services.subList(i, Math.min(services.size(), i + SERVICE_BATCH));
            for (Service s : ecs.describeServices(r -> r.cluster(cluster).services(batch)).services()) {
                if (!"ACTIVE".equals(s.status())) {
                    continue;
                }
                for (Deployment d : s.deployments()) {
                    if ("FAILED".equals(d.rolloutStateAsString())) {
                        return CheckResult.failed(NAME, "service " + s.serviceName() + " deployment failed: " + d.rolloutStateReason());
                    }
                }
                if (s.deployments().size() > 1 || s.runningCount() == null || !s.runningCount().equals(s.desiredCount())) {
                    unsettled.add("service " + s.serviceName() + " running " + s.runningCount() + "/" + s.desiredCount()
                            + (s.deployments().size() > 1 ? ", " + s.deployments().size() + " deployments" : ""));
                }
            }
        }
        if (unsettled.isEmpty()) {
            return CheckResult.passed(NAME, instanceIds.size() + " container instance(s) ACTIVE and connected; "
                    + services.size() + " service(s) steady in " + cluster);
        }
        return CheckResult.pendingUntil(NAME, String.join(", ", unsettled), pastDeadline, limit);
    }
}
