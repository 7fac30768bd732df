package io.amirollout.janitor;

import java.util.List;

/**
 * The plans as a fixed-width text table: what a person reads in a dry run's result and notice before
 * turning the janitor on. One line per AMI: action, region, image id, age, AMI name, then why.
 */
final class PlanTable {

    static final int MAX_ROWS = 200;

    private PlanTable() {
    }

    static String render(List<AmiPlan> plans) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-10s %-14s %-21s %5s  %-40s %s%n", "ACTION", "REGION", "IMAGE", "AGE", "NAME", "WHY"));
        int rows = 0;
        for (AmiPlan plan : plans) {
            if (rows++ == MAX_ROWS) {
                out.append("... ").append(plans.size() - MAX_ROWS).append(" more (see the result)\n");
                break;
            }
            out.append(String.format("%-10s %-14s %-21s %4dd  %-40s %s%n", plan.action(), plan.region(), plan.imageId(),
                    plan.ageDays(), clip(plan.name(), 40), String.join("; ", plan.reasons())));
        }
        return out.toString();
    }

    private static String clip(String value, int width) {
        if (value == null) {
            return "";
        }
        return value.length() <= width ? value : value.substring(0, width - 1) + "~";
    }
}
