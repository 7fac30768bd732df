package io.amirollout.templatecheck;

import java.util.List;

/**
 * The functions as the project defines them: template logical id, module folder, handler and
 * configuration class. The checks hold template.yaml and the code to this one table.
 */
final class Functions {

    record Function(String logicalId, String folder, String handlerClass, String configClass) {
        @Override
        public String toString() {
            return folder;
        }
    }

    static final List<Function> ALL = List.of(
            new Function("PipelineStarterFunction", "pipeline-starter",
                    "io.amirollout.pipeline.PipelineStarterHandler", "io.amirollout.pipeline.PipelineStarterConfig"),
            new Function("CrossAccountInvokerFunction", "cross-account-invoker",
                    "io.amirollout.invoker.CrossAccountInvokerHandler", "io.amirollout.invoker.CrossAccountInvokerConfig"),
            new Function("InstanceRefreshFunction", "instance-refresh",
                    "io.amirollout.refresh.InstanceRefreshHandler", "io.amirollout.refresh.InstanceRefreshConfig"),
            new Function("RollbackOnAlarmFunction", "rollback-on-alarm",
                    "io.amirollout.rollback.RollbackOnAlarmHandler", "io.amirollout.rollback.RollbackOnAlarmConfig"),
            new Function("TerminationHostnameFunction", "termination-hostname",
                    "io.amirollout.hostname.TerminationHostnameHandler", "io.amirollout.hostname.TerminationHostnameConfig"),
            new Function("SlackNotifierFunction", "slack-notifier",
                    "io.amirollout.slack.SlackNotifierHandler", "io.amirollout.slack.SlackNotifierConfig"),
            new Function("RefreshVerifierFunction", "refresh-verifier",
                    "io.amirollout.verifier.RefreshVerifierHandler", "io.amirollout.verifier.RefreshVerifierConfig"),
            new Function("AmiJanitorFunction", "ami-janitor",
                    "io.amirollout.janitor.AmiJanitorHandler", "io.amirollout.janitor.JanitorConfig"));

    private Functions() {
    }

    static List<Function> all() {
        return ALL;
    }
}
