package io.amirollout.janitor;

import io.amirollout.shared.Env;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsResponse;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplatesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplatesResponse;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.sts.model.StsException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which AMIs the groups use or would roll back to, read from launch-template versions. */
class WorkloadGroupsTest {

    static final String INFRA = "111122223333";
    static final String WORKLOAD = "444455556666";

    private final Map<String, AutoScalingClient> autoScaling = new LinkedHashMap<>();
    private final Map<String, Ec2Client> ec2 = new LinkedHashMap<>();
    private final List<List<String>> versionsAsked = new ArrayList<>();

    private JanitorConfig config() {
        return JanitorConfig.from(Env.of(Map.of("INFRA_ACCOUNT_ID", INFRA, "IMAGE_NAMES", "golden-al2023", "REGIONS", "eu-west-1",
                "WORKLOAD_ROLE_NAME", "ami-rollout-invoker-access", "STATE_TABLE_NAME", "t", "WORKLOAD_ACCOUNTS", WORKLOAD)));
    }

    private WorkloadGroups groups() {
        WorkloadGroups.Clients clients = new WorkloadGroups.Clients() {
            @Override
            public AutoScalingClient autoScaling(String account, String region) {
                AutoScalingClient client = autoScaling.get(account);
                if (client == null) {
                    throw StsException.builder().statusCode(403).message("AccessDenied: not authorized to perform sts:AssumeRole").build();
                }
                return client;
            }

            @Override
            public Ec2Client ec2(String account, String region) {
                return ec2.get(account);
            }
        };
        return new WorkloadGroups(config(), clients);
    }

    /** An account with one group on launch template lt-1 (version n runs images.get(n)). Hand-written fakes: mocking
     *  the SDK's large client interfaces costs seconds per test. */
    private void account(String account, String groupVersion, long defaultVersion, long latest, Map<Long, String> images) {
        AutoScalingClient asg = new AutoScalingClient() {
            @Override
            public DescribeAutoScalingGroupsResponse describeAutoScalingGroups(DescribeAutoScalingGroupsRequest request) {
                return DescribeAutoScalingGroupsResponse.builder().autoScalingGroups(AutoScalingGroup.builder()
                        .autoScalingGroupName("web-asg").launchTemplate(LaunchTemplateSpecification.builder()
                                .launchTemplateId("lt-1").version(groupVersion).build()).build()).build();
            }

            @Override
            public String serviceName() {
                return "autoscaling";
            }

            @Override
            public void close() {
            }
        };
        Ec2Client client = new Ec2Client() {
            @Override
            public DescribeLaunchTemplatesResponse describeLaunchTemplates(DescribeLaunchTemplatesRequest request) {
                return DescribeLaunchTemplatesResponse.builder().launchTemplates(LaunchTemplate.builder().launchTemplateId("lt-1")
                        .defaultVersionNumber(defaultVersion).latestVersionNumber(latest).build()).build();
            }

            @Override
            public DescribeLaunchTemplateVersionsResponse describeLaunchTemplateVersions(DescribeLaunchTemplateVersionsRequest request) {
                versionsAsked.add(request.versions());
                List<LaunchTemplateVersion> versions = request.versions().stream().map(Long::parseLong)
                        .filter(images::containsKey).map(v -> LaunchTemplateVersion.builder().launchTemplateId("lt-1").versionNumber(v)
                                .launchTemplateData(ResponseLaunchTemplateData.builder().imageId(images.get(v)).build()).build()).toList();
                return DescribeLaunchTemplateVersionsResponse.builder().launchTemplateVersions(versions).build();
            }

            @Override
            public String serviceName() {
                return "ec2";
            }

            @Override
            public void close() {
            }
        };
        autoScaling.put(account, asg);
        ec2.put(account, client);
    }

    private static Map<Long, String> images(long upTo) {
        Map<Long, String> images = new LinkedHashMap<>();
        for (long v = 1; v <= upTo; v++) {
            images.put(v, "ami-00000000000000000" + v);
        }
        return images;
    }

    @Test
    void theCurrentVersionAndTheThreeBelowItAreInUse() {
        account(INFRA, "$Default", 1, 1, Map.of());
        account(WORKLOAD, "8", 8, 8, images(8));

        GroupReferences.Snapshot snapshot = groups().inRegion("eu-west-1");

        assertEquals(List.of(), snapshot.unreadable());
        assertTrue(snapshot.users().get("ami-000000000000000008").get(0).contains("444455556666/eu-west-1/web-asg (launch template lt-1 v8, current)"));
        assertTrue(snapshot.users().get("ami-000000000000000007").get(0).contains("v7, rollback target"));
        assertTrue(snapshot.users().containsKey("ami-000000000000000005"), "three versions back (ROLLBACK_VERSIONS=3)");
        assertTrue(!snapshot.users().containsKey("ami-000000000000000004"), "older versions do not hold an AMI");
    }

    @Test
    void latestAndDefaultAreResolvedAndBothCount() {
        account(INFRA, "$Default", 1, 1, Map.of());
        account(WORKLOAD, "$Latest", 3, 9, images(9));
        GroupReferences.Snapshot snapshot = groups().inRegion("eu-west-1");
        assertTrue(snapshot.users().get("ami-000000000000000009").get(0).contains("v9, current"));
        assertTrue(snapshot.users().containsKey("ami-000000000000000003"), "the default version too");
        assertTrue(snapshot.users().containsKey("ami-000000000000000006"));
    }

    @Test
    void anAccountThatCannotBeReadMakesTheRegionUnknown() {
        account(INFRA, "$Default", 1, 1, Map.of());
        GroupReferences.Snapshot snapshot = groups().inRegion("eu-west-1");
        assertEquals(1, snapshot.unreadable().size());
        assertTrue(snapshot.unreadable().get(0).startsWith(WORKLOAD + "/eu-west-1: AccessDenied"), snapshot.unreadable().toString());
        Usage usage = snapshot.usageOf("ami-0123456789abcdef0");
        assertEquals(1, usage.unknown().size(), "unknown counts as in use");
    }

    @Test
    void anAmiNamedThroughAParameterIsUnknown() {
        account(INFRA, "$Default", 1, 1, Map.of());
        account(WORKLOAD, "2", 2, 2, Map.of(2L, "resolve:ssm:/golden/ami", 1L, "ami-000000000000000001"));
        GroupReferences.Snapshot snapshot = groups().inRegion("eu-west-1");
        assertTrue(snapshot.unreadable().get(0).contains("resolve:ssm:/golden/ami"), snapshot.unreadable().toString());
    }

    @Test
    void theInfraAccountAndTheConfiguredAccountsAreRead() {
        assertEquals(List.of(INFRA, WORKLOAD), new WorkloadGroups(config(), null).accounts());
    }
}
