package io.orderflow.source.generator;

import java.util.function.LongSupplier;

/**
 * Paces order creation at a fixed rate per second of wall-clock time. Pacing decides only <em>when</em>
 * events are handed to Kafka, never which events: the stream itself is fixed by the settings.
 *
 * <p>After an idle stretch (a paused task, a slow broker) at most one second of backlog is released at once,
 * so the rate stays smooth instead of bursting.
 */
public final class Pacer {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double perSecond;
    private final LongSupplier nanoClock;
    private long originNanos;
    private long granted;
    private boolean started;

    /** @param perSecond permits per second; 0 or less means unpaced */
    public Pacer(double perSecond, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
    }

    public boolean tryAcquire() {
        if (perSecond <= 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (!started) {
            originNanos = now;
            started = true;
        }
        long earned = earnedBy(now);
        if (earned - granted > Math.max(1, (long) perSecond)) {
            // Forget backlog beyond one second's worth, so a long stall is not followed by a flood.
            granted = earned - Math.max(1, (long) perSecond);
        }
        if (granted < earned) {
            granted++;
            return true;
        }
        return false;
    }

    /** How long until {@link #tryAcquire()} can succeed; 0 if it can now. */
    public long nanosUntilNextPermit() {
        if (perSecond <= 0 || !started) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        long dueAt = originNanos + (long) Math.ceil(granted * NANOS_PER_SECOND / perSecond);
        return Math.max(0, dueAt - now);
    }

    /** Permits earned from the origin up to {@code now}; the first permit is available immediately. */
    private long earnedBy(long now) {
        return 1 + (long) Math.floor((now - originNanos) * perSecond / NANOS_PER_SECOND);
    }
}
