package io.amirollout.janitor;

import io.amirollout.shared.Log;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.state.StateTable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * One run of the janitor: a pass over every (region, image name) unit, region by region, continuing a
 * pass an earlier invocation left unfinished. For each AMI: read, decide ({@link JanitorDecider}), then
 * apply ({@link JanitorApplier}) unless this is a dry run. Stops starting new work when the Lambda
 * time left falls under the safety margin, and records where the next run continues.
 */
public final class JanitorService {

    private final JanitorConfig config;
    private final Function<String, Ec2Client> ec2ByRegion;
    private final GroupReferences groups;
    private final JanitorLedger ledger;
    private final AmiCatalog catalog;
    private final UsageReports usageReports = new UsageReports();
    private final JanitorApplier applier;
    private final JanitorNotices notices;
    private final Clock clock;

    public JanitorService(JanitorConfig config, Function<String, Ec2Client> ec2ByRegion, GroupReferences groups,
                          StateTable table, NotificationPublisher publisher, Clock clock) {
        this.config = config;
        this.ec2ByRegion = ec2ByRegion;
        this.groups = groups;
        this.ledger = new JanitorLedger(table);
        this.catalog = new AmiCatalog(config.infraAccountId());
        this.applier = new JanitorApplier(ledger, catalog);
        this.notices = new JanitorNotices(publisher, config.infraAccountId());
        this.clock = clock;
    }

    public JanitorConfig config() {
        return config;
    }

    /** The service's clock (simulated in tests): the handler stamps its duplicate-event markers with it. */
    Clock clock() {
        return clock;
    }

    record Unit(String region, String imageName) {
    }

    List<Unit> units() {
        List<Unit> units = new ArrayList<>();
        for (String region : config.regions()) {
            for (String name : config.imageNames()) {
                units.add(new Unit(region, name));
            }
        }
        return units;
    }

    public JanitorResult run(boolean dryRunRequested, LongSupplier remainingMillis) {
        boolean dryRun = config.dryRun() || dryRunRequested;
        List<Unit> units = units();
        Instant now = clock.instant();
        JanitorLedger.Cursor cursor = ledger.cursor(dryRun);
        boolean continuing = cursor.inProgress(units.size());
        Instant passStartedAt = continuing ? cursor.passStartedAt() : now;
        int next = continuing ? cursor.nextUnit() : 0;
        if (!continuing) {
            if (!ledger.advance(cursor, passStartedAt, 0, null, now)) {
                return JanitorResult.skipped(dryRun, "another invocation started a pass at the same time");
            }
            cursor = ledger.cursor(dryRun);
        }
        Log.info(continuing ? "continuing the pass" : "starting a pass", "passStartedAt", passStartedAt.toString(),
                "unit", next, "units", units.size(), "dryRun", dryRun);
        Run run = new Run(dryRun, now, remainingMillis);
        while (next < units.size() && run.timeLeft()) {
            if (!processUnit(units.get(next), run)) {
                break;
            }
            next++;
            if (!ledger.advance(cursor, passStartedAt, next, next == units.size() ? now : null, now)) {
                run.problems.add("another invocation moved the pass cursor: stopped");
                break;
            }
            cursor = ledger.cursor(dryRun);
        }
        boolean complete = next == units.size();
        if (!complete) {
            Log.info("time is short: the next run continues the pass", "nextUnit", next, "units", units.size());
        }
        JanitorResult result = new JanitorResult(dryRun, null, passStartedAt, next, units.size(), complete,
                count(run.outcomes, AmiPlan.Action.MARK), count(run.outcomes, AmiPlan.Action.DEREGISTER),
                count(run.outcomes, AmiPlan.Action.UNMARK),
                (int) run.outcomes.stream().filter(o -> o.status() == AmiOutcome.Status.FAILED).count(),
                List.copyOf(run.outcomes), List.copyOf(run.problems),
                PlanTable.render(run.outcomes.stream().map(AmiOutcome::plan).toList()));
        notices.publish(result, now);
        return result;
    }

    /** State of one invocation. */
    private final class Run {
        final boolean dryRun;
        final Instant now;
        final LongSupplier remainingMillis;
        final List<AmiOutcome> outcomes = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final Map<String, GroupReferences.Snapshot> groupsByRegion = new HashMap<>();
        /** Per region, read once per run when a deregistration is planned: which images use each snapshot. */
        final Map<String, Map<String, List<String>>> snapshotUsers = new HashMap<>();

        Run(boolean dryRun, Instant now, LongSupplier remainingMillis) {
            this.dryRun = dryRun;
            this.now = now;
            this.remainingMillis = remainingMillis;
        }

        boolean timeLeft() {
            return remainingMillis.getAsLong() > config.timeSafetyMarginSeconds() * 1000L;
        }

        GroupReferences.Snapshot groups(String region) {
            return groupsByRegion.computeIfAbsent(region, groups::inRegion);
        }
    }

    /** False when time ran short before the unit was finished (the next run does the unit again: every step is idempotent). */
    private boolean processUnit(Unit unit, Run run) {
        Ec2Client ec2 = ec2ByRegion.apply(unit.region());
        List<Ami> amis = catalog.list(ec2, unit.region(), unit.imageName());
        Map<String, AmiMark> marks = ledger.marks(unit.region());
        Set<String> present = amis.stream().map(Ami::imageId).collect(Collectors.toSet());
        for (AmiMark mark : marks.values()) {
            boolean sameName = unit.imageName().equalsIgnoreCase(mark.item().getOrNull("imageName"));
            if (mark.state() == AmiMark.State.DEREGISTERING && sameName && !present.contains(mark.imageId())) {
                finishInterrupted(ec2, mark, run);
            }
        }
        for (int i = 0; i < amis.size(); i++) {
            if (!run.timeLeft()) {
                return false;
            }
            Ami ami = amis.get(i);
            AmiMark mark = marks.get(ami.imageId());
            AmiPlan plan = decide(ec2, ami, i < config.keepNewest(), mark, run);
            run.outcomes.add(run.dryRun ? new AmiOutcome(plan, AmiOutcome.Status.PLANNED, "dry run")
                    : applier.apply(ec2, plan, ami, mark, run.now));
        }
        return true;
    }

    private AmiPlan decide(Ec2Client ec2, Ami ami, boolean newest, AmiMark mark, Run run) {
        JanitorPolicy policy = config.policy();
        boolean marked = mark != null && mark.marked();
        boolean needsUsage = JanitorDecider.protections(ami, newest, policy).isEmpty()
                && (marked || ami.tag(JanitorTags.DEREGISTER_AFTER) != null
                || Duration.between(ami.created(), run.now).toDays() >= policy.ageThresholdDays());
        Usage usage = needsUsage ? usage(ec2, ami, mark, run) : Usage.none();
        AmiPlan plan = JanitorDecider.decide(ami, newest, usage, mark, run.now, policy);
        if (plan.action() == AmiPlan.Action.DEREGISTER) {
            Map<String, List<String>> users = run.snapshotUsers.computeIfAbsent(ami.region(), r -> catalog.snapshotUsers(ec2));
            List<String> delete = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            for (String snapshot : ami.snapshotIds()) {
                (AmiCatalog.othersUsing(users, snapshot, ami.imageId()).isEmpty() ? delete : kept).add(snapshot);
            }
            plan = plan.withSnapshots(delete, kept);
        }
        return plan;
    }

    /** Everything that says the AMI is in use, cheapest first; the usage report only when nothing else decided. */
    private Usage usage(Ec2Client ec2, Ami ami, AmiMark mark, Run run) {
        Usage usage = run.groups(ami.region()).usageOf(ami.imageId());
        boolean marked = mark != null && mark.marked();
        if (ami.lastLaunched() != null) {
            // "When the AMI is used to launch an instance, there is a 24-hour delay before that usage is
            // reported" (Image.lastLaunchedTime): a day of slack on every comparison.
            Instant since = marked ? mark.markedAt().minus(Duration.ofDays(1))
                    : run.now.minus(config.policy().ageThreshold()).minus(Duration.ofDays(1));
            if (ami.lastLaunched().isAfter(since)) {
                usage = usage.plus(Usage.inUse("instance launched " + JanitorDecider.day(ami.lastLaunched())
                        + (marked ? " (since it was marked)" : " (within " + config.ageThresholdDays() + " days)")));
            }
        }
        if (!usage.inUse().isEmpty() || !usage.unknown().isEmpty()) {
            return usage;
        }
        Instant freshest = run.now.minus(Duration.ofHours(config.usageReportMaxAgeHours()));
        Instant notBefore = marked && mark.markedAt().isAfter(freshest) ? mark.markedAt() : freshest;
        try {
            UsageReports.Answer answer = usageReports.check(ec2, ami.imageId(), notBefore, run.now);
            if (answer instanceof UsageReports.Used used) {
                return usage.plus(new Usage(used.users().stream().map(u -> "used by " + u).toList(), List.of()));
            }
            if (answer instanceof UsageReports.Unknown unknown) {
                return usage.plus(Usage.unknown(unknown.why()));
            }
            return usage;
        } catch (AwsServiceException e) {
            if (JanitorApplier.transient_(e)) {
                throw e;
            }
            return usage.plus(Usage.unknown("usage report refused: " + JanitorApplier.code(e)));
        }
    }

    private void finishInterrupted(Ec2Client ec2, AmiMark mark, Run run) {
        AmiPlan plan = new AmiPlan(mark.region(), mark.imageId(), mark.item().getOrNull("name"),
                mark.item().getOrNull("imageName"), 0, AmiPlan.Action.DEREGISTER,
                List.of("deregistration begun earlier: finishing its snapshots"), mark.deregisterAfter(),
                mark.snapshotIds(), List.of());
        if (run.dryRun) {
            run.outcomes.add(new AmiOutcome(plan, AmiOutcome.Status.PLANNED, "dry run"));
            return;
        }
        try {
            run.outcomes.add(applier.finish(ec2, plan, mark, run.now));
        } catch (AwsServiceException e) {
            if (JanitorApplier.transient_(e)) {
                throw e;
            }
            run.outcomes.add(new AmiOutcome(plan, AmiOutcome.Status.FAILED, JanitorApplier.code(e)));
        }
    }

    private static int count(List<AmiOutcome> outcomes, AmiPlan.Action action) {
        return (int) outcomes.stream().filter(o -> o.plan().action() == action
                && (o.status() == AmiOutcome.Status.DONE || o.status() == AmiOutcome.Status.PLANNED && "dry run".equals(o.detail())))
                .count();
    }
}
