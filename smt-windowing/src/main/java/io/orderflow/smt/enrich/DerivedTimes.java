package io.orderflow.smt.enrich;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Formats the derived time fields of one event time. Consecutive events mostly fall in the same second, so
 * the strings of the last second are reused unless a pattern prints fractions of a second.
 */
final class DerivedTimes {

    private static final String SUB_SECOND_LETTERS = "SnNA";

    private final List<DateTimeFormatter> formatters;
    private final boolean cacheBySecond;
    private long cachedSecond = Long.MIN_VALUE;
    private String[] cached;

    DerivedTimes(List<DateTimeFormatter> formatters, List<String> patterns) {
        this.formatters = formatters;
        this.cacheBySecond = patterns.stream().noneMatch(p -> p.chars().anyMatch(c -> SUB_SECOND_LETTERS.indexOf(c) >= 0));
        this.cached = new String[formatters.size()];
    }

    int count() {
        return formatters.size();
    }

    String[] format(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        if (cacheBySecond && second == cachedSecond) {
            return cached;
        }
        String[] values = new String[formatters.size()];
        Instant instant = Instant.ofEpochMilli(epochMillis);
        for (int i = 0; i < values.length; i++) {
            values[i] = formatters.get(i).format(instant);
        }
        cached = values;
        cachedSecond = second;
        return values;
    }
}
