package io.amirollout.janitor;

import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Log;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link GroupReferences} read live from every account: the groups of the infra account with the
 * function's own role, the others through the workload stacks' cross-account role (the one
 * cross-account-invoker assumes; its policy grants these read-only describes). Credentials and clients
 * are cached per container.
 */
final class WorkloadGroups implements GroupReferences {

    /** The AWS calls for one account in one region (production: real clients; tests: mocks or moto). */
    interface Clients {
        AutoScalingClient autoScaling(String account, String region);

        Ec2Client ec2(String account, String region);
    }

    /**
     * The session policy of every assumed workload session: "the resulting session's permissions are the
     * intersection of the role's identity-based policy and the session policies" (STS AssumeRole, Policy), so
     * the janitor can only describe, even though the shared role may also invoke instance-refresh.
     */
    static final String SESSION_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"autoscaling:DescribeAutoScalingGroups\",\"ec2:DescribeLaunchTemplates\","
            + "\"ec2:DescribeLaunchTemplateVersions\"],\"Resource\":\"*\"}]}";

    private final JanitorConfig config;
    private final Clients clients;

    WorkloadGroups(JanitorConfig config, Clients clients) {
        this.config = config;
        this.clients = clients;
    }

    @Override
    public Snapshot inRegion(String region) {
        Map<String, List<String>> users = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        for (String account : accounts()) {
            try {
                readAccount(account, region, users, unreadable);
            } catch (SdkException e) {
                Log.warn("Auto Scaling groups unreadable: every AMI of the region counts as in use", "account", account,
                        "region", region, "error", e.getMessage());
                unreadable.add(account + "/" + region + ": " + e.getMessage());
            }
        }
        return new Snapshot(users, unreadable);
    }

    /**
     * The infra account first, then the configured workload accounts. Accounts not listed are still covered by
     * the usage report, which counts launch-template references (the newest {@value UsageReports#VERSION_DEPTH}
     * versions of every template) and instances in every account the AMI is shared with. (Listing the whole
     * organization here would need the Organizations SDK module, which pushes the deployed zip over its 8 MB limit.)
     */
    List<String> accounts() {
        Set<String> accounts = new LinkedHashSet<>();
        accounts.add(config.infraAccountId());
        accounts.addAll(config.workloadAccounts());
        return List.copyOf(accounts);
    }

    private void readAccount(String account, String region, Map<String, List<String>> users, List<String> unreadable) {
        AutoScalingClient autoScaling = clients.autoScaling(account, region);
        Ec2Client ec2 = clients.ec2(account, region);
        for (AutoScalingGroup group : autoScaling.describeAutoScalingGroupsPaginator(r -> { }).autoScalingGroups()) {
            LaunchTemplateSpecification spec = group.launchTemplate();
            if (spec == null && group.mixedInstancesPolicy() != null && group.mixedInstancesPolicy().launchTemplate() != null) {
                spec = group.mixedInstancesPolicy().launchTemplate().launchTemplateSpecification();
            }
            if (spec == null) {
                continue; // launch configurations: their instances still show in the usage report
            }
            String where = account + "/" + region + "/" + group.autoScalingGroupName();
            readTemplate(ec2, spec, where, users, unreadable);
        }
    }

    private void readTemplate(Ec2Client ec2, LaunchTemplateSpecification spec, String where,
                              Map<String, List<String>> users, List<String> unreadable) {
        LaunchTemplate template = spec.launchTemplateId() != null
                ? ec2.describeLaunchTemplates(r -> r.launchTemplateIds(spec.launchTemplateId())).launchTemplates().get(0)
                : ec2.describeLaunchTemplates(r -> r.launchTemplateNames(spec.launchTemplateName())).launchTemplates().get(0);
        long current = switch (spec.version() == null ? "$Default" : spec.version()) {
            case "$Latest" -> template.latestVersionNumber();
            case "$Default" -> template.defaultVersionNumber();
            default -> Long.parseLong(spec.version());
        };
        long from = Math.max(1, current - config.rollbackVersions());
        Set<Long> versions = new TreeSet<>();
        for (long v = from; v <= current; v++) {
            versions.add(v);
        }
        // The default and latest versions too: a refresh may be moving the group there right now.
        versions.add(template.defaultVersionNumber());
        versions.add(template.latestVersionNumber());
        List<String> asked = versions.stream().map(String::valueOf).toList();
        for (LaunchTemplateVersion version : ec2.describeLaunchTemplateVersionsPaginator(r -> r
                .launchTemplateId(template.launchTemplateId()).versions(asked)).launchTemplateVersions()) {
            String imageId = version.launchTemplateData() == null ? null : version.launchTemplateData().imageId();
            if (imageId == null) {
                continue;
            }
            if (imageId.startsWith("resolve:ssm:")) {
                unreadable.add(where + ": launch template " + template.launchTemplateId() + " v" + version.versionNumber()
                        + " names its AMI through " + imageId);
                continue;
            }
            String role = version.versionNumber() == current ? "current" : version.versionNumber() < current
                    ? "rollback target" : "newer version";
            users.computeIfAbsent(imageId, k -> new ArrayList<>()).add("group " + where + " (launch template "
                    + template.launchTemplateId() + " v" + version.versionNumber() + ", " + role + ")");
        }
    }

    /** Production clients: the function's own for the infra account, the assumed workload role for the others. */
    static Clients production(JanitorConfig config, StsClient sts) {
        Map<String, AwsCredentialsProvider> credentials = new ConcurrentHashMap<>();
        Map<String, Object> cache = new ConcurrentHashMap<>();
        return new Clients() {
            private AwsCredentialsProvider credentialsFor(String account, String region) {
                return credentials.computeIfAbsent(account, a -> StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                        .refreshRequest(r -> {
                            r.roleArn("arn:" + partition(region) + ":iam::" + a + ":role/" + config.workloadRoleName())
                                    .roleSessionName("ami-janitor").policy(SESSION_POLICY);
                            if (config.externalId() != null) {
                                r.externalId(config.externalId());
                            }
                        }).build());
            }

            @Override
            public AutoScalingClient autoScaling(String account, String region) {
                return (AutoScalingClient) cache.computeIfAbsent("asg/" + account + "/" + region, k ->
                        account.equals(config.infraAccountId())
                                ? AwsClients.build(AutoScalingClient.builder(), Region.of(region),
                                software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build())
                                : AwsClients.build(AutoScalingClient.builder(), Region.of(region), credentialsFor(account, region)));
            }

            @Override
            public Ec2Client ec2(String account, String region) {
                return (Ec2Client) cache.computeIfAbsent("ec2/" + account + "/" + region, k ->
                        account.equals(config.infraAccountId())
                                ? AwsClients.build(Ec2Client.builder(), Region.of(region),
                                software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build())
                                : AwsClients.build(Ec2Client.builder(), Region.of(region), credentialsFor(account, region)));
            }
        };
    }

    static String partition(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }
}
