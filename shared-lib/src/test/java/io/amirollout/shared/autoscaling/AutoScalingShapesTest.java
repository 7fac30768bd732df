package io.amirollout.shared.autoscaling;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DesiredConfiguration;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplate;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class AutoScalingShapesTest {

    private static final LaunchTemplateSpecification SPEC =
            LaunchTemplateSpecification.builder().launchTemplateId("lt-0abc").version("7").build();
    private static final MixedInstancesPolicy MIXED = MixedInstancesPolicy.builder()
            .launchTemplate(LaunchTemplate.builder().launchTemplateSpecification(SPEC).build()).build();

    @Test
    void targetVersionFromLaunchTemplate() {
        InstanceRefresh refresh = InstanceRefresh.builder()
                .desiredConfiguration(DesiredConfiguration.builder().launchTemplate(SPEC).build()).build();
        assertEquals("7", InstanceRefreshes.targetVersion(refresh));
    }

    @Test
    void targetVersionFromMixedInstancesPolicy() {
        InstanceRefresh refresh = InstanceRefresh.builder()
                .desiredConfiguration(DesiredConfiguration.builder().mixedInstancesPolicy(MIXED).build()).build();
        assertEquals("7", InstanceRefreshes.targetVersion(refresh));
    }

    @Test
    void noTargetVersionWithoutDesiredConfigurationOrTemplate() {
        assertNull(InstanceRefreshes.targetVersion(InstanceRefresh.builder().build()));
        assertNull(InstanceRefreshes.targetVersion(InstanceRefresh.builder()
                .desiredConfiguration(DesiredConfiguration.builder().build()).build()));
        assertNull(InstanceRefreshes.targetVersion(InstanceRefresh.builder()
                .desiredConfiguration(DesiredConfiguration.builder()
                        .mixedInstancesPolicy(MixedInstancesPolicy.builder().build()).build()).build()));
    }

    @Test
    void groupLaunchTemplateDirectOrInsideMixedPolicy() {
        assertSame(SPEC, AutoScalingGroups.launchTemplate(AutoScalingGroup.builder().launchTemplate(SPEC).build()));
        assertSame(SPEC, AutoScalingGroups.launchTemplate(AutoScalingGroup.builder().mixedInstancesPolicy(MIXED).build()));
        assertNull(AutoScalingGroups.launchTemplate(AutoScalingGroup.builder().launchConfigurationName("lc").build()));
    }

    @Test
    void tagValuesAreTrimmedAndBlankMeansAbsent() {
        AutoScalingGroup group = AutoScalingGroup.builder().tags(
                TagDescription.builder().key("a").value("  x ").build(),
                TagDescription.builder().key("blank").value("  ").build(),
                TagDescription.builder().key("null").build()).build();
        assertEquals(Optional.of("x"), AutoScalingGroups.tag(group, "a"));
        assertEquals(Optional.empty(), AutoScalingGroups.tag(group, "blank"));
        assertEquals(Optional.empty(), AutoScalingGroups.tag(group, "null"));
        assertEquals(Optional.empty(), AutoScalingGroups.tag(group, "missing"));
    }
}
