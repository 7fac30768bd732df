package io.amirollout.refresh;

import io.amirollout.shared.RolloutTags;
import org.mockito.Mockito;
import org.mockito.invocation.Invocation;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.CreateOrUpdateTagsRequest;
import software.amazon.awssdk.services.autoscaling.model.CreateOrUpdateTagsResponse;
import software.amazon.awssdk.services.autoscaling.model.DeleteTagsRequest;
import software.amazon.awssdk.services.autoscaling.model.DeleteTagsResponse;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsResponse;
import software.amazon.awssdk.services.autoscaling.model.DescribeInstanceRefreshesRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeInstanceRefreshesResponse;
import software.amazon.awssdk.services.autoscaling.model.DesiredConfiguration;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshInProgressException;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshStatus;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplate;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;
import software.amazon.awssdk.services.autoscaling.model.StartInstanceRefreshRequest;
import software.amazon.awssdk.services.autoscaling.model.StartInstanceRefreshResponse;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.autoscaling.model.UpdateAutoScalingGroupRequest;
import software.amazon.awssdk.services.autoscaling.model.UpdateAutoScalingGroupResponse;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ArchitectureType;
import software.amazon.awssdk.services.ec2.model.ArchitectureValues;
import software.amazon.awssdk.services.ec2.model.CreateLaunchTemplateVersionRequest;
import software.amazon.awssdk.services.ec2.model.CreateLaunchTemplateVersionResponse;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.ProcessorInfo;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.withSettings;

/**
 * Mockito mocks of the EC2 and Auto Scaling clients whose answers are backed by a small in-memory
 * account, so a test can run the service twice and see the first run's effects (versions created,
 * refreshes started, tags written) exactly as AWS would show them. Unstubbed operations call the
 * SDK interface's default, which throws UnsupportedOperationException: an unexpected call fails
 * loudly. Paginators are the SDK's real ones, driving the stubbed operations.
 */
final class FakeAws {

    static final String TRUSTED = "111122223333";
    static final String UNTRUSTED = "999988887777";
    static final String ACCOUNT = "444455556666";
    static final String REGION = "eu-west-1";
    static final String OLD_AMI = "ami-0000000000000aaaa";
    static final String NEW_AMI = "ami-0a1b2c3d4e5f60718";
    static final String IMAGE = "golden-al2023";

    final Ec2Client ec2 = Mockito.mock(Ec2Client.class, withSettings().defaultAnswer(Mockito.CALLS_REAL_METHODS));
    final AutoScalingClient autoScaling = Mockito.mock(AutoScalingClient.class, withSettings().defaultAnswer(Mockito.CALLS_REAL_METHODS));

    final Map<String, AutoScalingGroup> groups = new LinkedHashMap<>();
    final List<Image> images = new ArrayList<>();
    final Map<String, List<LaunchTemplateVersion>> templates = new HashMap<>();
    final Map<String, Long> defaultVersions = new HashMap<>();
    final Map<String, List<InstanceRefresh>> refreshes = new HashMap<>();
    final Map<String, List<ArchitectureType>> instanceTypes = new HashMap<>(Map.of(
            "t3.micro", List.of(ArchitectureType.X86_64), "m5.large", List.of(ArchitectureType.X86_64),
            "m7g.large", List.of(ArchitectureType.ARM64)));
    private final Map<String, Long> clientTokens = new HashMap<>();
    /** template id -> version numbers deleted (DeleteLaunchTemplateVersions). */
    final Map<String, java.util.Set<Long>> deletedVersions = new HashMap<>();
    /** instance id -> AMI it runs (what DescribeInstances answers). */
    final Map<String, String> instanceImages = new HashMap<>();
    /** Simulates a response that ignores the Owners parameter (defence in depth). */
    boolean ignoreOwners;
    private int refreshCounter;

    FakeAws() {
        stubEc2();
        stubAutoScaling();
    }

    // ----- building the account -----

    /** An instance of the group on {@code version} of its template running {@code ami}. */
    FakeAws instance(String group, String id, String version, String ami, String lifecycle, boolean protectedFromScaleIn) {
        AutoScalingGroup g = groups.get(group);
        String template = g.launchTemplate() != null ? g.launchTemplate().launchTemplateId() : null;
        List<software.amazon.awssdk.services.autoscaling.model.Instance> all = new ArrayList<>(g.instances());
        all.add(software.amazon.awssdk.services.autoscaling.model.Instance.builder().instanceId(id).lifecycleState(lifecycle)
                .protectedFromScaleIn(protectedFromScaleIn).healthStatus("Healthy")
                .launchTemplate(LaunchTemplateSpecification.builder().launchTemplateId(template).version(version).build()).build());
        groups.put(group, g.toBuilder().instances(all).build());
        instanceImages.put(id, ami);
        return this;
    }

    FakeAws image(String id, String owner, String name, String created, ArchitectureValues arch, ImageState state) {
        images.add(Image.builder().imageId(id).ownerId(owner).name(name).creationDate(created)
                .architecture(arch).state(state).build());
        return this;
    }

    /** The usual pair: the AMI the groups run and the newly released one, both trusted x86_64. */
    FakeAws standardImages() {
        image(OLD_AMI, TRUSTED, IMAGE + " 2026-11-07T10-00-00Z", "2026-11-07T10:00:00.000Z", ArchitectureValues.X86_64, ImageState.AVAILABLE);
        return image(NEW_AMI, TRUSTED, IMAGE + " 2026-11-21T10-00-00Z", "2026-11-21T10:00:00.000Z", ArchitectureValues.X86_64, ImageState.AVAILABLE);
    }

    /** A template with versions 1..n, each running {@code amis[i]}, default = 1. */
    FakeAws template(String id, String... amis) {
        List<LaunchTemplateVersion> versions = new ArrayList<>();
        for (int i = 0; i < amis.length; i++) {
            versions.add(version(id, i + 1, amis[i], "m5.large", "initial"));
        }
        templates.put(id, versions);
        defaultVersions.put(id, 1L);
        return this;
    }

    static LaunchTemplateVersion version(String templateId, long number, String ami, String instanceType, String description) {
        return LaunchTemplateVersion.builder().launchTemplateId(templateId).launchTemplateName(templateId + "-name")
                .versionNumber(number).versionDescription(description)
                .launchTemplateData(ResponseLaunchTemplateData.builder().imageId(ami).instanceType(instanceType).build())
                .build();
    }

    FakeAws group(String name, String templateId, String version, Map<String, String> tags) {
        groups.put(name, AutoScalingGroup.builder().autoScalingGroupName(name)
                .autoScalingGroupARN("arn:aws:autoscaling:" + REGION + ":" + ACCOUNT + ":autoScalingGroup:uuid:autoScalingGroupName/" + name)
                .launchTemplate(LaunchTemplateSpecification.builder().launchTemplateId(templateId).launchTemplateName(templateId + "-name")
                        .version(version).build())
                .tags(tagDescriptions(name, tags)).build());
        return this;
    }

    FakeAws mixedGroup(String name, String templateId, String version, Map<String, String> tags) {
        groups.put(name, AutoScalingGroup.builder().autoScalingGroupName(name)
                .mixedInstancesPolicy(MixedInstancesPolicy.builder()
                        .launchTemplate(LaunchTemplate.builder()
                                .launchTemplateSpecification(LaunchTemplateSpecification.builder()
                                        .launchTemplateId(templateId).version(version).build())
                                .overrides(LaunchTemplateOverrides.builder().instanceType("m5.large").build(),
                                        LaunchTemplateOverrides.builder().instanceType("t3.micro").weightedCapacity("1").build())
                                .build())
                        .instancesDistribution(d -> d.onDemandBaseCapacity(1).onDemandPercentageAboveBaseCapacity(25)
                                .spotAllocationStrategy("price-capacity-optimized"))
                        .build())
                .tags(tagDescriptions(name, tags)).build());
        return this;
    }

    FakeAws launchConfigurationGroup(String name, Map<String, String> tags) {
        groups.put(name, AutoScalingGroup.builder().autoScalingGroupName(name).launchConfigurationName("old-lc")
                .tags(tagDescriptions(name, tags)).build());
        return this;
    }

    FakeAws activeRefresh(String group, String targetVersion, String templateId) {
        refreshes.computeIfAbsent(group, g -> new ArrayList<>()).add(0, InstanceRefresh.builder()
                .instanceRefreshId("ir-existing").autoScalingGroupName(group).status(InstanceRefreshStatus.IN_PROGRESS)
                .desiredConfiguration(DesiredConfiguration.builder().launchTemplate(LaunchTemplateSpecification.builder()
                        .launchTemplateId(templateId).version(targetVersion).build()).build())
                .build());
        return this;
    }

    static Map<String, String> enabled(String... extra) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(RolloutTags.ENABLED, "true");
        tags.put(RolloutTags.IMAGE, IMAGE);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            tags.put(extra[i], extra[i + 1]);
        }
        return tags;
    }

    private static List<TagDescription> tagDescriptions(String group, Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> TagDescription.builder().resourceId(group).resourceType("auto-scaling-group")
                .key(e.getKey()).value(e.getValue()).propagateAtLaunch(false).build()).toList();
    }

    // ----- reading what happened -----

    Map<String, String> tagsOf(String group) {
        Map<String, String> tags = new LinkedHashMap<>();
        groups.get(group).tags().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    List<LaunchTemplateVersion> versionsOf(String templateId) {
        return templates.get(templateId);
    }

    /** Names of every call made on both clients, in order (paginator helpers left out). */
    List<String> calls() {
        List<String> names = new ArrayList<>();
        for (Object mock : List.of(ec2, autoScaling)) {
            for (Invocation invocation : Mockito.mockingDetails(mock).getInvocations()) {
                String name = invocation.getMethod().getName();
                if (!name.endsWith("Paginator")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Calls that change something in AWS. */
    List<String> mutatingCalls() {
        Predicate<String> mutating = n -> !n.startsWith("describe") && !n.startsWith("list") && !n.startsWith("get")
                && !Set.of("serviceName", "close", "serviceClientConfiguration").contains(n);
        return calls().stream().filter(mutating).toList();
    }

    // ----- the answers -----

    private void stubEc2() {
        doAnswer(inv -> describeImages(inv.getArgument(0))).when(ec2).describeImages(any(DescribeImagesRequest.class));
        doAnswer(inv -> describeVersions(inv.getArgument(0))).when(ec2).describeLaunchTemplateVersions(any(DescribeLaunchTemplateVersionsRequest.class));
        doAnswer(inv -> createVersion(inv.getArgument(0))).when(ec2).createLaunchTemplateVersion(any(CreateLaunchTemplateVersionRequest.class));
        doAnswer(inv -> describeInstanceTypes(inv.getArgument(0))).when(ec2).describeInstanceTypes(any(DescribeInstanceTypesRequest.class));
        doAnswer(inv -> {
            var request = (software.amazon.awssdk.services.ec2.model.DeleteLaunchTemplateVersionsRequest) inv.getArgument(0);
            request.versions().forEach(v -> deletedVersions.computeIfAbsent(request.launchTemplateId(), k -> new java.util.HashSet<>())
                    .add(Long.parseLong(v)));
            return software.amazon.awssdk.services.ec2.model.DeleteLaunchTemplateVersionsResponse.builder().build();
        }).when(ec2).deleteLaunchTemplateVersions(any(software.amazon.awssdk.services.ec2.model.DeleteLaunchTemplateVersionsRequest.class));
        doAnswer(inv -> {
            var request = (software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest) inv.getArgument(0);
            return software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse.builder().reservations(
                    software.amazon.awssdk.services.ec2.model.Reservation.builder().instances(request.instanceIds().stream()
                            .filter(instanceImages::containsKey)
                            .map(id -> software.amazon.awssdk.services.ec2.model.Instance.builder().instanceId(id)
                                    .imageId(instanceImages.get(id)).build()).toList()).build()).build();
        }).when(ec2).describeInstances(any(software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest.class));
    }

    private void stubAutoScaling() {
        doAnswer(inv -> describeGroups(inv.getArgument(0))).when(autoScaling).describeAutoScalingGroups(any(DescribeAutoScalingGroupsRequest.class));
        doAnswer(inv -> DescribeInstanceRefreshesResponse.builder()
                .instanceRefreshes(refreshes.getOrDefault(((DescribeInstanceRefreshesRequest) inv.getArgument(0)).autoScalingGroupName(), List.of()))
                .build()).when(autoScaling).describeInstanceRefreshes(any(DescribeInstanceRefreshesRequest.class));
        doAnswer(inv -> updateGroup(inv.getArgument(0))).when(autoScaling).updateAutoScalingGroup(any(UpdateAutoScalingGroupRequest.class));
        doAnswer(inv -> startRefresh(inv.getArgument(0))).when(autoScaling).startInstanceRefresh(any(StartInstanceRefreshRequest.class));
        doAnswer(inv -> createTags(inv.getArgument(0))).when(autoScaling).createOrUpdateTags(any(CreateOrUpdateTagsRequest.class));
        doAnswer(inv -> deleteTags(inv.getArgument(0))).when(autoScaling).deleteTags(any(DeleteTagsRequest.class));
    }

    private DescribeImagesResponse describeImages(DescribeImagesRequest request) {
        for (String id : request.imageIds()) {
            if (images.stream().noneMatch(i -> i.imageId().equals(id))) {
                // What EC2 answers for an id that does not exist (e.g. deregistered long ago).
                throw software.amazon.awssdk.services.ec2.model.Ec2Exception.builder()
                        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                .errorCode("InvalidAMIID.NotFound").errorMessage("The image id '[" + id + "]' does not exist").build())
                        .statusCode(400).build();
            }
        }
        List<Image> result = images.stream()
                .filter(i -> request.imageIds().isEmpty() || request.imageIds().contains(i.imageId()))
                .filter(i -> ignoreOwners || request.owners().isEmpty() || request.owners().contains(i.ownerId()))
                .filter(i -> request.filters().stream().allMatch(f -> matches(f, i)))
                .toList();
        return DescribeImagesResponse.builder().images(result).build();
    }

    private static boolean matches(Filter filter, Image image) {
        String value = switch (filter.name()) {
            case "name" -> image.name();
            case "state" -> image.stateAsString();
            case "architecture" -> image.architectureAsString();
            default -> throw new IllegalArgumentException("filter not faked: " + filter.name());
        };
        return filter.values().stream().anyMatch(v -> v.endsWith("*") ? value.startsWith(v.substring(0, v.length() - 1)) : value.equals(v));
    }

    private DescribeLaunchTemplateVersionsResponse describeVersions(DescribeLaunchTemplateVersionsRequest request) {
        String id = request.launchTemplateId() != null ? request.launchTemplateId()
                : request.launchTemplateName().replace("-name", "");
        List<LaunchTemplateVersion> all = templates.get(id);
        if (all == null) {
            throw software.amazon.awssdk.services.ec2.model.Ec2Exception.builder().message("launch template " + id + " does not exist")
                    .statusCode(400).build();
        }
        List<LaunchTemplateVersion> result = new ArrayList<>();
        if (!request.versions().isEmpty()) {
            for (String v : request.versions()) {
                long number = switch (v) {
                    case "$Latest" -> all.size();
                    case "$Default" -> defaultVersions.get(id);
                    default -> Long.parseLong(v);
                };
                result.add(all.get((int) number - 1));
            }
        } else {
            long min = request.minVersion() == null ? 1 : Long.parseLong(request.minVersion());
            for (LaunchTemplateVersion v : all) {
                if (deletedVersions.getOrDefault(id, java.util.Set.of()).contains(v.versionNumber())) {
                    continue;
                }
                boolean imageOk = request.filters().stream().allMatch(f -> !f.name().equals("image-id")
                        || f.values().contains(v.launchTemplateData().imageId()));
                if (v.versionNumber() >= min && imageOk) {
                    result.add(v);
                }
            }
        }
        return DescribeLaunchTemplateVersionsResponse.builder().launchTemplateVersions(result).build();
    }

    private CreateLaunchTemplateVersionResponse createVersion(CreateLaunchTemplateVersionRequest request) {
        List<LaunchTemplateVersion> all = templates.get(request.launchTemplateId());
        Long known = request.clientToken() == null ? null : clientTokens.get(request.clientToken());
        LaunchTemplateVersion created;
        if (known != null) {
            created = all.get((int) (long) known - 1);
        } else {
            LaunchTemplateVersion source = all.get(Integer.parseInt(request.sourceVersion()) - 1);
            // As EC2 does (CreateLaunchTemplateVersion, SourceVersion): "Snapshots applied to the block device
            // mapping are ignored when creating a new version unless they are explicitly included."
            var data = source.launchTemplateData().toBuilder().imageId(request.launchTemplateData().imageId());
            if (request.launchTemplateData().hasBlockDeviceMappings()) {
                data.blockDeviceMappings(request.launchTemplateData().blockDeviceMappings().stream()
                        .map(FakeAws::asResponse).toList());
            } else if (source.launchTemplateData().hasBlockDeviceMappings()) {
                data.blockDeviceMappings(source.launchTemplateData().blockDeviceMappings().stream()
                        .map(m -> m.ebs() == null ? m : m.toBuilder().ebs(m.ebs().toBuilder().snapshotId(null).build()).build()).toList());
            }
            created = source.toBuilder().versionNumber((long) all.size() + 1).versionDescription(request.versionDescription())
                    .launchTemplateData(data.build())
                    .build();
            all.add(created);
            if (request.clientToken() != null) {
                clientTokens.put(request.clientToken(), created.versionNumber());
            }
        }
        return CreateLaunchTemplateVersionResponse.builder().launchTemplateVersion(created).build();
    }

    private static software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMapping asResponse(
            software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest r) {
        var ebs = r.ebs() == null ? null : software.amazon.awssdk.services.ec2.model.LaunchTemplateEbsBlockDevice.builder()
                .snapshotId(r.ebs().snapshotId()).volumeSize(r.ebs().volumeSize()).volumeType(r.ebs().volumeTypeAsString())
                .encrypted(r.ebs().encrypted()).deleteOnTermination(r.ebs().deleteOnTermination()).iops(r.ebs().iops())
                .kmsKeyId(r.ebs().kmsKeyId()).throughput(r.ebs().throughput()).build();
        return software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMapping.builder().deviceName(r.deviceName())
                .virtualName(r.virtualName()).noDevice(r.noDevice()).ebs(ebs).build();
    }

    private DescribeInstanceTypesResponse describeInstanceTypes(DescribeInstanceTypesRequest request) {
        return DescribeInstanceTypesResponse.builder().instanceTypes(request.instanceTypesAsStrings().stream()
                .filter(instanceTypes::containsKey)
                .map(t -> InstanceTypeInfo.builder().instanceType(t)
                        .processorInfo(ProcessorInfo.builder().supportedArchitectures(instanceTypes.get(t)).build()).build())
                .toList()).build();
    }

    private DescribeAutoScalingGroupsResponse describeGroups(DescribeAutoScalingGroupsRequest request) {
        List<AutoScalingGroup> result = groups.values().stream()
                .filter(g -> request.autoScalingGroupNames().isEmpty() || request.autoScalingGroupNames().contains(g.autoScalingGroupName()))
                .filter(g -> request.filters().stream().allMatch(f -> {
                    String key = f.name().substring("tag:".length());
                    return g.tags().stream().anyMatch(t -> t.key().equals(key) && f.values().contains(t.value()));
                }))
                .toList();
        return DescribeAutoScalingGroupsResponse.builder().autoScalingGroups(result).build();
    }

    private UpdateAutoScalingGroupResponse updateGroup(UpdateAutoScalingGroupRequest request) {
        AutoScalingGroup group = groups.get(request.autoScalingGroupName());
        AutoScalingGroup.Builder updated = group.toBuilder();
        if (request.launchTemplate() != null) {
            updated.launchTemplate(request.launchTemplate());
        }
        if (request.mixedInstancesPolicy() != null) {
            updated.mixedInstancesPolicy(request.mixedInstancesPolicy());
        }
        groups.put(group.autoScalingGroupName(), updated.build());
        return UpdateAutoScalingGroupResponse.builder().build();
    }

    private StartInstanceRefreshResponse startRefresh(StartInstanceRefreshRequest request) {
        List<InstanceRefresh> list = refreshes.computeIfAbsent(request.autoScalingGroupName(), g -> new ArrayList<>());
        if (list.stream().anyMatch(r -> RefreshStarter.ACTIVE.contains(r.status()))) {
            throw InstanceRefreshInProgressException.builder().message("An Instance Refresh is already in progress")
                    .statusCode(400).build();
        }
        String id = "ir-" + (++refreshCounter);
        list.add(0, InstanceRefresh.builder().instanceRefreshId(id).autoScalingGroupName(request.autoScalingGroupName())
                .status(InstanceRefreshStatus.PENDING).desiredConfiguration(request.desiredConfiguration())
                .preferences(request.preferences()).build());
        return StartInstanceRefreshResponse.builder().instanceRefreshId(id).build();
    }

    private CreateOrUpdateTagsResponse createTags(CreateOrUpdateTagsRequest request) {
        request.tags().forEach(t -> {
            Map<String, String> tags = tagsOf(t.resourceId());
            tags.put(t.key(), t.value());
            groups.put(t.resourceId(), groups.get(t.resourceId()).toBuilder().tags(tagDescriptions(t.resourceId(), tags)).build());
        });
        return CreateOrUpdateTagsResponse.builder().build();
    }

    private DeleteTagsResponse deleteTags(DeleteTagsRequest request) {
        request.tags().forEach(t -> {
            Map<String, String> tags = tagsOf(t.resourceId());
            tags.remove(t.key());
            groups.put(t.resourceId(), groups.get(t.resourceId()).toBuilder().tags(tagDescriptions(t.resourceId(), tags)).build());
        });
        return DeleteTagsResponse.builder().build();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
