package io.amirollout.it;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workload account seeded in moto the way teams really run: a VPC with two subnets, one launch
 * template per group with several versions and user data, and Auto Scaling groups on every kind
 * of launch configuration the function must handle. Seeded through the front, so the launch
 * template versions are known to its SourceVersion emulation.
 *
 * <pre>
 * group            launch template               tags
 * web-latest       web     $Latest  (v3)          enabled, image golden-al2023, window always open
 * api-default      api     $Default (v1 of 2)     enabled, image, window always open
 * worker-pinned    worker  2        (of 2)        enabled, image, window always open, preferences tags
 * batch-mixed      batch   1, mixed instances     enabled, image, window always open
 * reports-window   reports 1                      enabled, image, window Wednesday 15:00 (closed "now")
 * legacy-untagged  legacy  $Latest                no ami-rollout tags: never a target
 * classic-lc       launch configuration           enabled, image: skipped (cannot be versioned)
 * </pre>
 */
public final class Workload {

    public static final String OLD_AMI = "ami-0a11a11a11a11a001";
    public static final String NEW_AMI = "ami-0a11a11a11a11a002";
    public static final String NEW_AMI_EU_CENTRAL = "ami-0a11a11a11a11a0c1";
    public static final String ARM_AMI = "ami-0a11a11a11a11a0a9";
    public static final String LOOKALIKE_AMI = "ami-0bad0bad0bad0bad6";
    public static final String IMAGE_NAME = "golden-al2023";

    public static final List<String> STARTING = List.of("web-latest", "api-default", "worker-pinned", "batch-mixed");
    public static final String DEFERRED = "reports-window";
    public static final String UNTAGGED = "legacy-untagged";
    public static final String LAUNCH_CONFIGURATION = "classic-lc";

    public final Ec2Client ec2;
    public final AutoScalingClient autoScaling;
    public final String accountId;
    public String vpcId;
    public List<String> subnetIds = new ArrayList<>();
    public String securityGroupId;
    /** template name → id */
    public final Map<String, String> templates = new LinkedHashMap<>();

    private Workload(AwsFront front, String accountId) {
        this.accountId = accountId;
        this.ec2 = front.client(Ec2Client.builder(), accountId);
        this.autoScaling = front.client(AutoScalingClient.builder(), accountId);
    }

    /** Seeds the default moto account. */
    public static Workload seed(AwsFront front) {
        return seed(front, Moto.ACCOUNT);
    }

    public static Workload seed(AwsFront front, String accountId) {
        Workload w = new Workload(front, accountId);
        w.network();
        w.web();
        w.api();
        w.worker();
        w.batch();
        w.reports();
        w.legacy();
        w.classic();
        return w;
    }

    private void network() {
        vpcId = ec2.createVpc(r -> r.cidrBlock("10.20.0.0/16")).vpc().vpcId();
        subnetIds.add(ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.20.1.0/24").availabilityZone("eu-west-1a")).subnet().subnetId());
        subnetIds.add(ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.20.2.0/24").availabilityZone("eu-west-1b")).subnet().subnetId());
        securityGroupId = ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName("app").description("app instances")).groupId();
    }

    /** Launch-template data as a team writes it: every field below must survive a new version. */
    public RequestLaunchTemplateData.Builder data(String app, String instanceType, String script) {
        return RequestLaunchTemplateData.builder()
                .imageId(OLD_AMI)
                .instanceType(instanceType)
                .keyName("ops-" + app)
                .userData(Base64.getEncoder().encodeToString(("#!/bin/bash\n" + script + "\n").getBytes(StandardCharsets.UTF_8)))
                .securityGroupIds(securityGroupId)
                .iamInstanceProfile(p -> p.name(app + "-instance"))
                .metadataOptions(m -> m.httpTokens("required").httpPutResponseHopLimit(2))
                .monitoring(m -> m.enabled(true))
                .blockDeviceMappings(software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest.builder()
                        .deviceName("/dev/xvda").ebs(e -> e.volumeSize(30).volumeType("gp3").encrypted(true)).build())
                .tagSpecifications(software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest.builder()
                        .resourceType(ResourceType.INSTANCE).tags(
                        software.amazon.awssdk.services.ec2.model.Tag.builder().key("app").value(app).build(),
                        software.amazon.awssdk.services.ec2.model.Tag.builder().key("team").value("platform").build()).build());
    }

    private String template(String name, RequestLaunchTemplateData first) {
        String id = ec2.createLaunchTemplate(r -> r.launchTemplateName(name).launchTemplateData(first)).launchTemplate().launchTemplateId();
        templates.put(name, id);
        return id;
    }

    private void version(String templateId, RequestLaunchTemplateData data, String description) {
        ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(templateId).launchTemplateData(data).versionDescription(description));
    }

    private void web() {
        String id = template("web", data("web", "t3.micro", "echo web v1").build());
        version(id, data("web", "t3.small", "echo web v2").build(), "bigger");
        version(id, data("web", "t3.small", "echo web v3; systemctl enable nginx").build(), "nginx on boot");
        group("web-latest", g -> g.launchTemplate(t -> t.launchTemplateId(id).version("$Latest")), enabled(alwaysOpen()));
    }

    private void api() {
        String id = template("api", data("api", "t3.small", "echo api v1").build());
        version(id, data("api", "t3.medium", "echo api v2 (not yet the default)").build(), "candidate");
        group("api-default", g -> g.launchTemplate(t -> t.launchTemplateId(id).version("$Default")), enabled(alwaysOpen()));
    }

    private void worker() {
        String id = template("worker", data("worker", "c6i.large", "echo worker v1").build());
        version(id, data("worker", "c6i.large", "echo worker v2").build(), "queue url");
        Map<String, String> tags = enabled(alwaysOpen());
        tags.put("ami-rollout:min-healthy-percentage", "75");
        tags.put("ami-rollout:instance-warmup", "120");
        tags.put("ami-rollout:checkpoints", "20,50");
        tags.put("ami-rollout:alarms", "worker-errors,worker-latency");
        group("worker-pinned", g -> g.launchTemplate(t -> t.launchTemplateId(id).version("2")), tags);
    }

    private void batch() {
        String id = template("batch", data("batch", "t3.micro", "echo batch v1").build());
        group("batch-mixed", g -> g.mixedInstancesPolicy(p -> p
                .launchTemplate(lt -> lt.launchTemplateSpecification(s -> s.launchTemplateId(id).version("1"))
                        .overrides(software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides.builder().instanceType("t3.micro").build(),
                                software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides.builder().instanceType("t3a.micro").build()))
                .instancesDistribution(d -> d.onDemandBaseCapacity(1).onDemandPercentageAboveBaseCapacity(25)
                        .spotAllocationStrategy("price-capacity-optimized"))), enabled(alwaysOpen()));
    }

    private void reports() {
        String id = template("reports", data("reports", "t3.micro", "echo reports v1").build());
        Map<String, String> tags = enabled(Map.of("AMI_update_day", "wed", "AMI_update_time", "15:00"));
        group("reports-window", g -> g.launchTemplate(t -> t.launchTemplateId(id).version("1")), tags);
    }

    private void legacy() {
        String id = template("legacy", data("legacy", "t3.micro", "echo legacy").build());
        group("legacy-untagged", g -> g.launchTemplate(t -> t.launchTemplateId(id).version("$Latest")), new LinkedHashMap<>(Map.of("team", "legacy")));
    }

    private void classic() {
        autoScaling.createLaunchConfiguration(r -> r.launchConfigurationName("classic-lc-config").imageId(OLD_AMI).instanceType("t3.micro"));
        group("classic-lc", g -> g.launchConfigurationName("classic-lc-config"), enabled(alwaysOpen()));
    }

    private static Map<String, String> alwaysOpen() {
        // A 24-hour window every day: open whatever the (fixed) clock says.
        return Map.of("AMI_update_day", "*", "AMI_update_time", "00:00", "ami-rollout:window", "1440");
    }

    private static Map<String, String> enabled(Map<String, String> window) {
        Map<String, String> tags = new LinkedHashMap<>(window);
        tags.put("ami-rollout:enabled", "true");
        tags.put("ami-rollout:image", IMAGE_NAME);
        return tags;
    }

    private void group(String name, java.util.function.Consumer<software.amazon.awssdk.services.autoscaling.model.CreateAutoScalingGroupRequest.Builder> how,
                       Map<String, String> tags) {
        autoScaling.createAutoScalingGroup(r -> {
            // No instances: moto crashes launching from a version made by CreateLaunchTemplateVersion
            // with UserData (it keeps that UserData as a plain string), and no scenario needs them.
            r.autoScalingGroupName(name).minSize(0).maxSize(3).desiredCapacity(0)
                    .vpcZoneIdentifier(String.join(",", subnetIds))
                    .tags(tags.entrySet().stream().map(e -> Tag.builder().resourceId(name).resourceType("auto-scaling-group")
                            .key(e.getKey()).value(e.getValue()).propagateAtLaunch(false).build()).toList());
            how.accept(r);
        });
    }

    // --- reading state back ------------------------------------------------------------------------

    public AutoScalingGroup group(String name) {
        return autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)).autoScalingGroups().get(0);
    }

    public Map<String, String> tags(String group) {
        Map<String, String> tags = new java.util.TreeMap<>();
        group(group).tags().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    /** Every version of the template, ascending. */
    public List<LaunchTemplateVersion> versions(String templateName) {
        return ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(templates.get(templateName)).maxResults(50))
                .launchTemplateVersions().stream()
                .sorted(java.util.Comparator.comparing(LaunchTemplateVersion::versionNumber)).toList();
    }

    public LaunchTemplateVersion version(String templateName, long number) {
        return versions(templateName).stream().filter(v -> v.versionNumber() == number).findFirst().orElseThrow();
    }
}
