package io.amirollout.invoker;

import io.amirollout.shared.Env;
import io.amirollout.shared.state.StateTables;

/**
 * What the {@code status} request needs: the infra stack's state table ({@code STATE_TABLE_NAME}), where
 * slack-notifier records each group's state per release and the fan-out records each target. Null when
 * unset: the request then answers that no status is kept here.
 */
public record ReleaseStatusConfig(String stateTableName) {

    public static ReleaseStatusConfig from(Env env) {
        return new ReleaseStatusConfig(env.optional(StateTables.TABLE_NAME_VARIABLE).orElse(null));
    }
}
