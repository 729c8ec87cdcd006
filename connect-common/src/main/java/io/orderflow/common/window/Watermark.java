package io.orderflow.common.window;

/**
 * A bounded-out-of-orderness watermark, as in the Flink job this replaces: the highest event time seen so
 * far minus the allowed lateness. It belongs to one transform or sink task; the window transform and the
 * aggregate sink share its definition, so a window closes at the same moment in both.
 */
public final class Watermark {

    private final long allowedLatenessMs;
    private long maxEventMs = Long.MIN_VALUE;

    public Watermark(long allowedLatenessMs) {
        this.allowedLatenessMs = allowedLatenessMs;
    }

    /** The current watermark, or Long.MIN_VALUE before the first record. */
    public long current() {
        return maxEventMs == Long.MIN_VALUE ? Long.MIN_VALUE : maxEventMs - allowedLatenessMs;
    }

    /** The highest event time seen, or Long.MIN_VALUE before the first record. */
    public long maxEventTime() {
        return maxEventMs;
    }

    public void observe(long eventMs) {
        maxEventMs = Math.max(maxEventMs, eventMs);
    }
}
