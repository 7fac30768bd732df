package io.amirollout.shared.autoscaling;

import software.amazon.awssdk.services.autoscaling.model.DesiredConfiguration;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;

/** Reading instance refreshes as DescribeInstanceRefreshes reports them (instance-refresh and rollback-on-alarm agree on this). */
public final class InstanceRefreshes {

    private InstanceRefreshes() {
    }

    /**
     * The launch-template version a refresh moves the group to: from the desired configuration's
     * launch template, or from its mixed instances policy's template. Null when the refresh has no
     * desired configuration (it then refreshes to whatever the group already points at).
     */
    public static String targetVersion(InstanceRefresh refresh) {
        DesiredConfiguration desired = refresh.desiredConfiguration();
        if (desired == null) {
            return null;
        }
        if (desired.launchTemplate() != null) {
            return desired.launchTemplate().version();
        }
        if (desired.mixedInstancesPolicy() != null && desired.mixedInstancesPolicy().launchTemplate() != null
                && desired.mixedInstancesPolicy().launchTemplate().launchTemplateSpecification() != null) {
            return desired.mixedInstancesPolicy().launchTemplate().launchTemplateSpecification().version();
        }
        return null;
    }
}
