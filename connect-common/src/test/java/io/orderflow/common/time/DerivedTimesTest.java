package io.orderflow.common.time;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DerivedTimesTest {

    /** The cache must never change what is printed: compare with fresh formatting at every step. */
    @Test
    void cachedValuesEqualFreshFormattingAcrossHoursAndDaylightSavingChanges() {
        for (String zoneId : List.of("UTC", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "America/St_Johns")) {
            ZoneId zone = ZoneId.of(zoneId);
            List<String> patterns = List.of("yyyy-MM-dd", "HH", "xxx");
            List<DateTimeFormatter> formatters = patterns.stream().map(p -> DateTimeFormatter.ofPattern(p).withZone(zone)).toList();
            DerivedTimes times = new DerivedTimes(formatters, patterns, zone);
            long start = Instant.parse("2026-03-27T00:00:00Z").toEpochMilli();
            for (long t = start; t < start + 10 * 86_400_000L; t += 7 * 60_000L + 13_000L) {
                final long at = t;
                String[] expected = formatters.stream().map(f -> f.format(Instant.ofEpochMilli(at))).toArray(String[]::new);
                assertArrayEquals(expected, times.format(t), zoneId + " at " + Instant.ofEpochMilli(t));
                assertArrayEquals(expected, times.format(t), "repeat");
            }
        }
    }

    @Test
    void spanFollowsTheFinestPrintedField() {
        assertEquals(3_600_000L, DerivedTimes.spanOf("yyyy-MM-dd"));
        assertEquals(3_600_000L, DerivedTimes.spanOf("HH"));
        assertEquals(60_000L, DerivedTimes.spanOf("HH:mm"));
        assertEquals(1_000L, DerivedTimes.spanOf("HH:mm:ss"));
        assertEquals(0L, DerivedTimes.spanOf("ss.SSS"));
        assertEquals(3_600_000L, DerivedTimes.spanOf("'minute 'HH"), "quoted letters are literals");
    }
}
