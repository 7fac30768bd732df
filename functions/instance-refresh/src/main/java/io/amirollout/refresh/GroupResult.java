package io.amirollout.refresh;

/**
 * One group's entry in the result, and the facts of its notice.
 *
 * @param previousVersion the numbered launch-template version the group effectively ran before
 * @param newVersion      the numbered version holding the AMI (created now, found, or pending)
 * @param pinned          the group was moved from $Latest/$Default to the numbered version it ran
 * @param plan            the changes decided, in order, each with its reason (carried out, or in a dry run: proposed)
 * @param announce          false for repeats a scheduled tick should not announce again
 */
public record GroupResult(String autoScalingGroup, GroupOutcome outcome, String reason, String imageId,
                          String launchTemplateId, String previousVersion, String newVersion,
                          String instanceRefreshId, boolean pinned,
                          @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                          java.util.List<String> plan,
                          @com.fasterxml.jackson.annotation.JsonIgnore boolean announce) {

    public static Builder of(String group) {
        return new Builder(group);
    }

    /** Accumulates what is known about a group as the decision proceeds. */
    public static final class Builder {
        private final String group;
        private String imageId;
        private String launchTemplateId;
        private String previousVersion;
        private String newVersion;
        private String instanceRefreshId;
        private boolean pinned;
        private java.util.List<String> plan = java.util.List.of();

        private Builder(String group) {
            this.group = group;
        }

        public Builder imageId(String value) { this.imageId = value; return this; }
        public Builder launchTemplateId(String value) { this.launchTemplateId = value; return this; }
        public Builder previousVersion(String value) { this.previousVersion = value; return this; }
        public Builder newVersion(String value) { this.newVersion = value; return this; }
        public Builder instanceRefreshId(String value) { this.instanceRefreshId = value; return this; }
        public Builder pinned(boolean value) { this.pinned = value; return this; }
        public Builder plan(java.util.List<String> value) { this.plan = java.util.List.copyOf(value); return this; }

        public GroupResult done(GroupOutcome outcome, String reason) {
            return new GroupResult(group, outcome, reason, imageId, launchTemplateId, previousVersion, newVersion,
                    instanceRefreshId, pinned, plan, true);
        }

        /** Same, but a scheduled tick keeps quiet about it (it would repeat every tick). */
        public GroupResult quietly(GroupOutcome outcome, String reason) {
            return new GroupResult(group, outcome, reason, imageId, launchTemplateId, previousVersion, newVersion,
                    instanceRefreshId, pinned, plan, false);
        }
    }
}
