package io.amirollout.rollback;

import io.amirollout.shared.AwsClients;
import io.amirollout.shared.Env;
import io.amirollout.shared.SnsNotificationPublisher;
import io.amirollout.shared.state.StateTables;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.time.Clock;
import java.util.Map;

/** Builds rollback-on-alarm the way its Lambda constructor does, from an environment, with a scenario's clock. */
final class RollbackScenarioWiring {

    private RollbackScenarioWiring() {
    }

    static RollbackOnAlarmHandler handler(Map<String, String> env, Clock clock) {
        RollbackOnAlarmConfig config = RollbackOnAlarmConfig.from(Env.of(env));
        return new RollbackOnAlarmHandler(new RollbackService(AwsClients.build(AutoScalingClient.builder()),
                StateTables.dynamo(config.stateTableName()),
                SnsNotificationPublisher.forTopic(AwsClients.build(SnsClient.builder()), config.notificationTopicArn()),
                config, clock));
    }
}
