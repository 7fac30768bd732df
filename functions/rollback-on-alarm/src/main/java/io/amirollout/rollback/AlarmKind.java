package io.amirollout.rollback;

/**
 * What sort of alarm changed state. Reported in results and notices only: every kind is handled the
 * same way, but each carries a different {@code configuration} shape that the parser must not trip on.
 */
public enum AlarmKind {
    /** One metric ({@code metricStat}, or the SNS {@code Trigger.MetricName}). */
    METRIC,
    /** An expression over metrics: metric math, anomaly detection bands, Metrics Insights queries. */
    METRIC_MATH,
    /** A composite alarm ({@code alarmRule} over other alarms). */
    COMPOSITE,
    /** The event did not say. */
    UNKNOWN
}
