package io.amirollout.refresh;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When a group may be refreshed: a start time on some days of the week, for a number of minutes,
 * in a time zone. Pure (no clock of its own): callers pass the instant to test.
 *
 * <p>A window may run past midnight (Sunday 23:00 for 120 minutes is open Monday 00:30): it
 * belongs to the day it opens on. Daylight-saving gaps follow {@link ZonedDateTime}'s rules (a
 * start inside a gap moves forward by the gap's length).
 */
public record MaintenanceWindow(Set<DayOfWeek> days, LocalTime start, Duration length, ZoneId zone) {

    public static final String DEFAULT_DAYS = "*";
    public static final String DEFAULT_START = "00:00";
    public static final int DEFAULT_MINUTES = 120;
    public static final String DEFAULT_ZONE = "UTC";
    /** A window longer than a week would never close. */
    static final int MAX_MINUTES = 7 * 24 * 60;

    private static final Map<String, DayOfWeek> DAY_NAMES = Map.ofEntries(
            Map.entry("mon", DayOfWeek.MONDAY), Map.entry("monday", DayOfWeek.MONDAY),
            Map.entry("tue", DayOfWeek.TUESDAY), Map.entry("tues", DayOfWeek.TUESDAY), Map.entry("tuesday", DayOfWeek.TUESDAY),
            Map.entry("wed", DayOfWeek.WEDNESDAY), Map.entry("weds", DayOfWeek.WEDNESDAY), Map.entry("wednesday", DayOfWeek.WEDNESDAY),
            Map.entry("thu", DayOfWeek.THURSDAY), Map.entry("thur", DayOfWeek.THURSDAY), Map.entry("thurs", DayOfWeek.THURSDAY),
            Map.entry("thursday", DayOfWeek.THURSDAY),
            Map.entry("fri", DayOfWeek.FRIDAY), Map.entry("friday", DayOfWeek.FRIDAY),
            Map.entry("sat", DayOfWeek.SATURDAY), Map.entry("saturday", DayOfWeek.SATURDAY),
            Map.entry("sun", DayOfWeek.SUNDAY), Map.entry("sunday", DayOfWeek.SUNDAY));

    public MaintenanceWindow {
        days = days.isEmpty() ? EnumSet.noneOf(DayOfWeek.class) : EnumSet.copyOf(days);
    }

    /** Every day, 00:00 UTC, 120 minutes. */
    public static MaintenanceWindow defaults() {
        return parse(null, null, null, null);
    }

    /**
     * Reads the window from the group's tag values (null = tag absent = default). A malformed value
     * is an {@link IllegalArgumentException} naming the tag's value and what was expected.
     */
    public static MaintenanceWindow parse(String days, String start, String minutes, String zone) {
        List<String> problems = new ArrayList<>();
        Set<DayOfWeek> parsedDays = parseDays(orDefault(days, DEFAULT_DAYS), problems);
        LocalTime parsedStart = parseStart(orDefault(start, DEFAULT_START), problems);
        Duration parsedLength = parseLength(orDefault(minutes, Integer.toString(DEFAULT_MINUTES)), problems);
        ZoneId parsedZone = parseZone(orDefault(zone, DEFAULT_ZONE), problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new MaintenanceWindow(parsedDays, parsedStart, parsedLength, parsedZone);
    }

    /** True when {@code instant} falls inside an opening of this window. */
    public boolean isOpen(Instant instant) {
        return currentOpening(instant).isPresent();
    }

    /** The start of the opening that contains {@code instant}, if any. */
    public Optional<ZonedDateTime> currentOpening(Instant instant) {
        ZonedDateTime now = instant.atZone(zone);
        // An opening that started up to `length` ago can still be running: look back that many days.
        long daysBack = length.toDays() + 1;
        for (long back = 0; back <= daysBack; back++) {
            LocalDate day = now.toLocalDate().minusDays(back);
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            ZonedDateTime opens = ZonedDateTime.of(day, start, zone);
            if (!now.isBefore(opens) && now.isBefore(opens.plus(length))) {
                return Optional.of(opens);
            }
        }
        return Optional.empty();
    }

    /** The next time this window opens strictly after {@code instant} (empty when no day is set). */
    public Optional<ZonedDateTime> nextOpening(Instant instant) {
        ZonedDateTime now = instant.atZone(zone);
        for (int ahead = 0; ahead <= 8; ahead++) {
            LocalDate day = now.toLocalDate().plusDays(ahead);
            if (days.contains(day.getDayOfWeek())) {
                ZonedDateTime opens = ZonedDateTime.of(day, start, zone);
                if (opens.isAfter(now)) {
                    return Optional.of(opens);
                }
            }
        }
        return Optional.empty();
    }

    /** For people: "sun 19:00 for 120 min (Europe/London)". */
    public String describe() {
        String dayText = days.size() == 7 ? "every day"
                : String.join(",", days.stream().map(d -> d.name().substring(0, 3).toLowerCase(Locale.ROOT)).toList());
        return dayText + " " + start + " for " + length.toMinutes() + " min (" + zone.getId() + ")";
    }

    private static String orDefault(String value, String defaultValue) {
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    private static Set<DayOfWeek> parseDays(String value, List<String> problems) {
        Set<DayOfWeek> result = EnumSet.noneOf(DayOfWeek.class);
        for (String item : value.split(",")) {
            String name = item.trim().toLowerCase(Locale.ROOT);
            if (name.equals("*")) {
                result.addAll(EnumSet.allOf(DayOfWeek.class));
            } else if (DAY_NAMES.containsKey(name)) {
                result.add(DAY_NAMES.get(name));
            } else {
                problems.add("AMI_update_day '" + value + "' has an unknown day '" + item.trim()
                        + "' (expected mon..sun, thur, tues, weds, a comma list, or *)");
                return result;
            }
        }
        return result;
    }

    private static LocalTime parseStart(String value, List<String> problems) {
        if (!value.matches("\\d{1,2}:\\d{2}")) {
            problems.add("AMI_update_time '" + value + "' is not HH:MM (24 h)");
            return LocalTime.MIDNIGHT;
        }
        String[] parts = value.split(":");
        try {
            return LocalTime.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (DateTimeException e) {
            problems.add("AMI_update_time '" + value + "' is not a time of day (00:00 to 23:59)");
            return LocalTime.MIDNIGHT;
        }
    }

    private static Duration parseLength(String value, List<String> problems) {
        try {
            int minutes = Integer.parseInt(value);
            if (minutes >= 1 && minutes <= MAX_MINUTES) {
                return Duration.ofMinutes(minutes);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("ami-rollout:window '" + value + "' must be a whole number of minutes from 1 to " + MAX_MINUTES);
        return Duration.ofMinutes(DEFAULT_MINUTES);
    }

    private static ZoneId parseZone(String value, List<String> problems) {
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            problems.add("ami-rollout:timezone '" + value + "' is not an IANA time zone (e.g. Europe/London)");
            return ZoneId.of(DEFAULT_ZONE);
        }
    }
}
