package io.amirollout.refresh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.*;

class MaintenanceWindowTest {

    // 2026-11-22 is a Sunday.

    @Test
    void defaultsAreEveryDayMidnightUtcForTwoHours() {
        MaintenanceWindow window = MaintenanceWindow.defaults();
        assertEquals(EnumSet.allOf(DayOfWeek.class), window.days());
        assertTrue(window.isOpen(Instant.parse("2026-11-24T00:00:00Z")), "start is inclusive");
        assertTrue(window.isOpen(Instant.parse("2026-11-24T01:59:59Z")));
        assertFalse(window.isOpen(Instant.parse("2026-11-24T02:00:00Z")), "end is exclusive");
        assertFalse(window.isOpen(Instant.parse("2026-11-24T12:00:00Z")));
    }

    @Test
    void openAndClosedOnTheTeamsUsualDay() {
        MaintenanceWindow prod = MaintenanceWindow.parse("wed", "15:00", null, null);
        assertTrue(prod.isOpen(Instant.parse("2026-11-25T15:30:00Z")));
        assertFalse(prod.isOpen(Instant.parse("2026-11-25T14:59:00Z")));
        assertFalse(prod.isOpen(Instant.parse("2026-11-26T15:30:00Z")), "Thursday");
    }

    @Test
    void aWindowCrossingMidnightBelongsToTheDayItOpens() {
        MaintenanceWindow window = MaintenanceWindow.parse("sun", "23:00", "120", "UTC");
        assertTrue(window.isOpen(Instant.parse("2026-11-22T23:30:00Z")), "Sunday night");
        assertTrue(window.isOpen(Instant.parse("2026-11-23T00:30:00Z")), "Monday, still Sunday's window");
        assertFalse(window.isOpen(Instant.parse("2026-11-23T01:00:00Z")));
        assertFalse(window.isOpen(Instant.parse("2026-11-23T23:30:00Z")), "Monday night is not a window");
        assertFalse(window.isOpen(Instant.parse("2026-11-22T00:30:00Z")), "Sunday 00:30 is Saturday's night, not a window");
    }

    @Test
    void theTimeZoneDecidesTheDayAndHour() {
        MaintenanceWindow sydney = MaintenanceWindow.parse("mon", "09:00", "60", "Australia/Sydney");
        // Monday 09:30 in Sydney (UTC+11 in November) = Sunday 22:30 UTC.
        assertTrue(sydney.isOpen(Instant.parse("2026-11-22T22:30:00Z")));
        assertFalse(sydney.isOpen(Instant.parse("2026-11-23T09:30:00Z")), "Monday 09:30 UTC is Monday 20:30 in Sydney");
    }

    @Test
    void daylightSavingChangesMoveTheWindowWithLocalTime() {
        MaintenanceWindow london = MaintenanceWindow.parse("sun", "19:00", "60", "Europe/London");
        assertTrue(london.isOpen(Instant.parse("2026-07-05T18:30:00Z")), "BST: 19:30 local = 18:30 UTC");
        assertTrue(london.isOpen(Instant.parse("2026-11-22T19:30:00Z")), "GMT: 19:30 local = 19:30 UTC");
    }

    @ParameterizedTest
    @CsvSource({"thur,THURSDAY", "thurs,THURSDAY", "thu,THURSDAY", "tues,TUESDAY", "tue,TUESDAY", "weds,WEDNESDAY",
            "WED,WEDNESDAY", "Sunday,SUNDAY", "sat,SATURDAY", "fri,FRIDAY", "mon,MONDAY"})
    void dayNamesAndAliases(String name, DayOfWeek day) {
        assertEquals(EnumSet.of(day), MaintenanceWindow.parse(name, null, null, null).days());
    }

    @Test
    void aCommaListAndTheStar() {
        assertEquals(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), MaintenanceWindow.parse("sat, sun", null, null, null).days());
        assertEquals(EnumSet.allOf(DayOfWeek.class), MaintenanceWindow.parse("*", null, null, null).days());
        assertEquals(EnumSet.allOf(DayOfWeek.class), MaintenanceWindow.parse(" ", null, null, null).days(), "blank = default");
    }

    @Test
    void badValuesAreAllNamedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MaintenanceWindow.parse("funday", "25:00", "0", "Mars/Olympus"));
        assertTrue(e.getMessage().contains("AMI_update_day 'funday'"), e.getMessage());
        assertTrue(e.getMessage().contains("AMI_update_time '25:00'"), e.getMessage());
        assertTrue(e.getMessage().contains("ami-rollout:window '0'"), e.getMessage());
        assertTrue(e.getMessage().contains("ami-rollout:timezone 'Mars/Olympus'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.parse(null, "3pm", null, null));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.parse(null, null, "two hours", null));
    }

    @Test
    void nextOpeningIsTheFollowingStart() {
        MaintenanceWindow prod = MaintenanceWindow.parse("wed", "15:00", "120", "Europe/London");
        assertEquals(ZonedDateTime.parse("2026-11-25T15:00Z[Europe/London]"), prod.nextOpening(Instant.parse("2026-11-22T10:00:00Z")).orElseThrow());
        assertEquals(ZonedDateTime.parse("2026-12-02T15:00Z[Europe/London]"), prod.nextOpening(Instant.parse("2026-11-25T15:30:00Z")).orElseThrow());
        assertEquals("wed 15:00 for 120 min (Europe/London)", prod.describe());
    }

    @Test
    void aWeekLongWindowIsAlwaysOpen() {
        MaintenanceWindow always = MaintenanceWindow.parse("mon", "00:00", Integer.toString(MaintenanceWindow.MAX_MINUTES), "UTC");
        assertTrue(always.isOpen(Instant.parse("2026-11-22T23:59:00Z")));
    }
}
