package io.orderflow.smt.window;

/**
 * A bounded-out-of-orderness watermark, as in the Flink job this replaces: the highest event time seen so
 * far minus the allowed lateness. It belongs to one transform instance, i.e. one task.
 */
final class Watermark {

    private final long allowedLatenessMs;
    private long maxEventMs = Long.MIN_VALUE;

    Watermark(long allowedLatenessMs) {
        this.allowedLatenessMs = allowedLatenessMs;
    }

    /** The current watermark, or Long.MIN_VALUE before the first record. */
    long current() {
        return maxEventMs == Long.MIN_VALUE ? Long.MIN_VALUE : maxEventMs - allowedLatenessMs;
    }

    void observe(long eventMs) {
        maxEventMs = Math.max(maxEventMs, eventMs);
    }
}
