package io.amirollout.janitor;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;
import java.util.List;

/**
 * What one invocation decided and did.
 *
 * @param skipped     why nothing was done at all (bad input, duplicate event), else null
 * @param passStartedAt when the pass this invocation worked on began
 * @param unitsDone   (region, image name) units finished by the pass so far, of {@code unitsTotal}
 * @param complete    the pass is finished; false: the next run continues at unit {@code unitsDone}
 * @param table       the plans as a readable table (what a dry run is read for)
 */
public record JanitorResult(boolean dryRun, String skipped,
                            @JsonSerialize(using = ToStringSerializer.class) Instant passStartedAt, int unitsDone, int unitsTotal,
                            boolean complete, int marked, int deregistered, int unmarked, int failed,
                            List<AmiOutcome> outcomes, List<String> problems, String table) {

    static JanitorResult skipped(boolean dryRun, String why) {
        return new JanitorResult(dryRun, why, null, 0, 0, false, 0, 0, 0, 0, List.of(), List.of(), "");
    }
}
