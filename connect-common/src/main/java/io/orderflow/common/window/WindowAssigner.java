package io.orderflow.common.window;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Assigns event times to tumbling windows of a fixed size, aligned to the epoch in a time zone and shifted
 * by an offset: 1-minute windows start on the minute, 1-day windows at local midnight (plus the offset).
 * Whole-day windows follow the calendar, so a day with a daylight-saving change is 23 or 25 hours long.
 */
public final class WindowAssigner {

    private static final long DAY_MS = 86_400_000L;

    private final long sizeMs;
    private final long offsetMs;
    private final ZoneId zone;
    /** The zone's offset when it never changes (UTC and fixed zones): windows are then pure arithmetic. */
    private final Long fixedOffsetMs;
    private final boolean calendarDays;

    public WindowAssigner(Duration size, Duration offset, ZoneId zone) {
        this.sizeMs = size.toMillis();
        this.offsetMs = offset.toMillis();
        this.zone = zone;
        this.fixedOffsetMs = zone.getRules().isFixedOffset()
                ? zone.getRules().getOffset(Instant.EPOCH).getTotalSeconds() * 1000L : null;
        this.calendarDays = fixedOffsetMs == null && sizeMs % DAY_MS == 0;
    }

    /** Start and end (exclusive), epoch millis, of the window holding {@code eventMs}. */
    public long[] window(long eventMs) {
        if (fixedOffsetMs != null) {
            long local = eventMs + fixedOffsetMs;
            long start = Math.floorDiv(local - offsetMs, sizeMs) * sizeMs + offsetMs - fixedOffsetMs;
            return new long[] {start, start + sizeMs};
        }
        if (calendarDays) {
            long days = sizeMs / DAY_MS;
            LocalDate date = Instant.ofEpochMilli(eventMs - offsetMs).atZone(zone).toLocalDate();
            long startDay = Math.floorDiv(date.toEpochDay(), days) * days;
            return new long[] {dayStart(startDay), dayStart(startDay + days)};
        }
        long local = eventMs + zone.getRules().getOffset(Instant.ofEpochMilli(eventMs)).getTotalSeconds() * 1000L;
        long localStart = Math.floorDiv(local - offsetMs, sizeMs) * sizeMs + offsetMs;
        return new long[] {toInstant(localStart), toInstant(localStart + sizeMs)};
    }

    private long dayStart(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant().toEpochMilli() + offsetMs;
    }

    private long toInstant(long localMs) {
        LocalDateTime local = LocalDateTime.ofEpochSecond(Math.floorDiv(localMs, 1000L),
                (int) Math.floorMod(localMs, 1000L) * 1_000_000, ZoneOffset.UTC);
        return ZonedDateTime.ofLocal(local, zone, null).toInstant().toEpochMilli();
    }
}
