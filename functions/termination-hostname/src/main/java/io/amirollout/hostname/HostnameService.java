package io.amirollout.hostname;

import io.amirollout.hostname.HostnameSources.InstanceFacts;
import io.amirollout.shared.NotificationPublisher;
import io.amirollout.shared.state.StateTable;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * An instance is going away (terminate lifecycle action, {@code shutting-down}, {@code terminated}): make sure
 * exactly one message with its hostname (or {@code hostname: null} and the reason) reaches the hostname
 * topic, and complete the lifecycle action. Reads (state table record, EC2), decides
 * ({@link HostnamePlanner}), then acts ({@link HostnameApplier}).
 */
public final class HostnameService {

    private final HostnameSources sources;
    private final PublicationLedger ledger;
    private final HostnamePlanner planner;
    private final HostnameApplier applier;
    private final TerminationHostnameConfig config;
    private final Clock clock;

    public HostnameService(Ec2Client ec2, SnsClient sns, AutoScalingClient autoScaling, StateTable table,
                           NotificationPublisher notices, TerminationHostnameConfig config, Clock clock) {
        this.sources = new HostnameSources(ec2);
        this.ledger = new PublicationLedger(table);
        this.planner = new HostnamePlanner(config);
        this.applier = new HostnameApplier(sns, autoScaling, ledger, notices, config, clock);
        this.config = config;
        this.clock = clock;
    }

    public HostnameResult handle(TerminationEvent event, boolean dryRunRequested) {
        boolean dryRun = dryRunRequested || config.dryRun();
        Optional<HostnamePlan> ignored = planner.ignored(event);
        if (ignored.isPresent()) {
            return applier.apply(ignored.get(), dryRun);
        }
        Instant now = clock.instant();
        Optional<PublicationLedger.Entry> record = ledger.find(event.instanceId());
        InstanceFacts facts = HostnamePlanner.needsInstance(record, now) ? sources.describe(event.instanceId()) : null;
        return applier.apply(planner.plan(event, record, facts, now), dryRun);
    }
}
