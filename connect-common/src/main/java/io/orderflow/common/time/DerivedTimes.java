package io.orderflow.common.time;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Formats the derived time fields of one event time, reusing the last strings while the event time stays in
 * the span they are valid for: the current local hour for patterns like {@code yyyy-MM-dd} or {@code HH}
 * (minute or second for patterns that print those), cut short at the zone's next offset change. Events
 * arrive roughly in time order, so most records format nothing.
 */
public final class DerivedTimes {

    private static final long HOUR_MS = 3_600_000L;

    private final List<DateTimeFormatter> formatters;
    private final ZoneRules rules;
    /** Length of the span a formatted value holds for; 0 when a pattern prints fractions of a second. */
    private final long spanMs;
    private long validFrom = Long.MAX_VALUE;
    private long validTo = Long.MIN_VALUE;
    private String[] cached;

    public DerivedTimes(List<DateTimeFormatter> formatters, List<String> patterns, ZoneId zone) {
        this.formatters = formatters;
        this.rules = zone.getRules();
        this.spanMs = patterns.stream().mapToLong(DerivedTimes::spanOf).min().orElse(HOUR_MS);
    }

    public int count() {
        return formatters.size();
    }

    public String[] format(long epochMillis) {
        if (epochMillis >= validFrom && epochMillis < validTo) {
            return cached;
        }
        Instant instant = Instant.ofEpochMilli(epochMillis);
        String[] values = new String[formatters.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = formatters.get(i).format(instant);
        }
        if (spanMs > 0) {
            long local = epochMillis + rules.getOffset(instant).getTotalSeconds() * 1000L;
            validFrom = epochMillis - Math.floorMod(local, spanMs);
            validTo = validFrom + spanMs;
            ZoneOffsetTransition next = rules.nextTransition(instant);
            if (next != null) {
                validTo = Math.min(validTo, next.toEpochSecond() * 1000L);
            }
            ZoneOffsetTransition previous = rules.previousTransition(Instant.ofEpochMilli(epochMillis + 1));
            if (previous != null) {
                validFrom = Math.max(validFrom, previous.toEpochSecond() * 1000L);
            }
            cached = values;
        }
        return values;
    }

    /** The span over which a pattern's output cannot change, from the finest field it prints. */
    public static long spanOf(String pattern) {
        long span = HOUR_MS;
        boolean quoted = false;
        for (char c : pattern.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted) {
                if ("SnNA".indexOf(c) >= 0) {
                    return 0;
                }
                if (c == 's') {
                    span = Math.min(span, 1_000L);
                } else if (c == 'm') {
                    span = Math.min(span, 60_000L);
                }
            }
        }
        return span;
    }
}
