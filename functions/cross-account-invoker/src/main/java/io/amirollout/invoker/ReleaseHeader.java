package io.amirollout.invoker;

import com.fasterxml.jackson.databind.JsonNode;
import io.amirollout.shared.ImageReleased;
import io.amirollout.shared.Json;
import io.amirollout.shared.state.StateItem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The release's fan-out header in the infra state table ({@code pk = release#<arn>}, {@code sk = fanout}):
 * the verified image (so continuations and redrives need not trust or re-read a message), whether every
 * target record has been written ({@code seeded}), the round (0 = the release, n = the n-th redrive), how
 * many continuations that round has used, and the round whose summary notice was sent.
 */
public record ReleaseHeader(BuiltImage image, List<String> regions, String accountSource, int skippedAccounts,
                            boolean seeded, int round, int continuations, int completedRound, Instant updatedAt,
                            long revision) {

    static final String SORT_KEY = "fanout";

    boolean completed() {
        return completedRound == round;
    }

    ReleaseHeader seededNow(Instant now) {
        return new ReleaseHeader(image, regions, accountSource, skippedAccounts, true, round, continuations, completedRound, now, revision);
    }

    ReleaseHeader continued(Instant now) {
        return new ReleaseHeader(image, regions, accountSource, skippedAccounts, seeded, round, continuations + 1, completedRound, now, revision);
    }

    ReleaseHeader completedNow(Instant now) {
        return new ReleaseHeader(image, regions, accountSource, skippedAccounts, seeded, round, continuations, round, now, revision);
    }

    ReleaseHeader nextRound(Instant now) {
        return new ReleaseHeader(image, regions, accountSource, skippedAccounts, seeded, round + 1, 0, completedRound, now, revision);
    }

    StateItem toItem() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("imageName", image.name());
        if (image.version() != null) {
            a.put("imageVersion", image.version());
        }
        a.put("sourcePipelineArn", String.valueOf(image.sourcePipelineArn()));
        a.put("amis", Json.write(image.amis()));
        a.put("regions", String.join(",", regions));
        a.put("accountSource", accountSource);
        a.put("skippedAccounts", String.valueOf(skippedAccounts));
        a.put("seeded", String.valueOf(seeded));
        a.put("round", String.valueOf(round));
        a.put("continuations", String.valueOf(continuations));
        a.put("completedRound", String.valueOf(completedRound));
        a.put("updatedAt", updatedAt.toString());
        return new StateItem(TargetRecord.partition(image.arn()), SORT_KEY, a, revision, null);
    }

    static ReleaseHeader from(String arn, StateItem item) {
        List<ImageReleased.Ami> amis = new ArrayList<>();
        for (JsonNode ami : Json.readTree(item.getOrNull("amis"))) {
            amis.add(new ImageReleased.Ami(Json.text(ami, "region"), Json.text(ami, "imageId"), Json.text(ami, "name"),
                    Json.text(ami, "accountId")));
        }
        String pipeline = item.getOrNull("sourcePipelineArn");
        BuiltImage image = new BuiltImage(arn, item.getOrNull("imageName"), item.getOrNull("imageVersion"), "AVAILABLE",
                null, amis, "null".equals(pipeline) ? null : pipeline);
        String regions = item.get("regions").orElse("");
        return new ReleaseHeader(image, regions.isEmpty() ? List.of() : List.of(regions.split(",")),
                item.getOrNull("accountSource"), Integer.parseInt(item.get("skippedAccounts").orElse("0")),
                Boolean.parseBoolean(item.getOrNull("seeded")), Integer.parseInt(item.get("round").orElse("0")),
                Integer.parseInt(item.get("continuations").orElse("0")),
                Integer.parseInt(item.get("completedRound").orElse("-1")),
                Instant.parse(item.getOrNull("updatedAt")), item.revision());
    }
}
