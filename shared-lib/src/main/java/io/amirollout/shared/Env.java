package io.amirollout.shared;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Typed reading of environment variables. Each getter records what is wrong instead of throwing,
 * so {@link #check()} can fail start-up once with every problem named: a person fixing a
 * deployment sees all of them in one log line, not one per redeploy.
 *
 * <pre>
 * Env env = Env.of(System.getenv());
 * String topic = env.required("NOTIFICATION_TOPIC_ARN");
 * int percent = env.integer("MIN_HEALTHY_PERCENTAGE", 90, 0, 100);
 * env.check();
 * </pre>
 */
public final class Env {

    private static final Pattern SNS_TOPIC_ARN =
            Pattern.compile("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$");

    private final Map<String, String> variables;
    private final List<String> problems = new ArrayList<>();
    private final java.util.Set<String> namesRead = new java.util.TreeSet<>();

    private Env(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public static Env of(Map<String, String> variables) {
        return new Env(variables);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    /** The trimmed value, empty when unset or blank. */
    public Optional<String> optional(String name) {
        namesRead.add(name);
        String value = variables.get(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.trim());
    }

    public String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    /** The value; records "NAME is required (why)" when unset and returns an empty string. */
    public String required(String name, String why) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            problems.add(name + " is required (" + why + ")");
            return "";
        }
        return value.get();
    }

    /** Like {@link #required} but also checks the value's form. */
    public String required(String name, String why, Predicate<String> valid, String expected) {
        String value = required(name, why);
        if (!value.isEmpty() && !valid.test(value)) {
            problems.add(name + " must be " + expected + " (got '" + value + "')");
        }
        return value;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                problems.add(name + " must be between " + min + " and " + max + " (got " + parsed + ")");
                return defaultValue;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number (got '" + value.get() + "')");
            return defaultValue;
        }
    }

    public boolean bool(String name, boolean defaultValue) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on":
                return true;
            case "false", "no", "0", "off":
                return false;
            default:
                problems.add(name + " must be true or false (got '" + value.get() + "')");
                return defaultValue;
        }
    }

    /** Comma- or whitespace-separated list, trimmed, empty items dropped; empty list when unset. */
    public List<String> list(String name) {
        return optional(name)
                .map(v -> Arrays.stream(v.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /** A list whose every item must pass {@code valid}; bad items are recorded as problems. */
    public List<String> list(String name, Predicate<String> valid, String expected) {
        List<String> items = list(name);
        for (String item : items) {
            if (!valid.test(item)) {
                problems.add(name + " items must be " + expected + " (got '" + item + "')");
            }
        }
        return items;
    }

    public Duration seconds(String name, Duration defaultValue, long min, long max) {
        int value = integer(name, (int) defaultValue.getSeconds(), (int) min, (int) max);
        return Duration.ofSeconds(value);
    }

    /**
     * An optional SNS topic ARN (e.g. NOTIFICATION_TOPIC_ARN): null when unset; a value that is not a
     * standard topic ARN (any partition, 12-digit account, topic name) is recorded as a problem.
     */
    public String snsTopicArn(String name) {
        String arn = optional(name).orElse(null);
        if (arn != null && !SNS_TOPIC_ARN.matcher(arn).matches()) {
            problems.add(name + " must be an SNS topic ARN (got '" + arn + "')");
        }
        return arn;
    }

    /** {@code DRY_RUN}: decide and report, change nothing. */
    public boolean dryRun() {
        return bool("DRY_RUN", false);
    }

    /** Records a problem found by a cross-field check in a function's own configuration. */
    public void problem(String description) {
        problems.add(description);
    }

    /**
     * Every variable name read so far. The template drift test reads a function's configuration
     * and checks that template.yaml sets each of these names (or that it has a default).
     */
    public java.util.Set<String> namesRead() {
        return java.util.Collections.unmodifiableSet(namesRead);
    }

    /** Throws a {@link ConfigurationException} naming every problem recorded so far. */
    public void check() {
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }
}
