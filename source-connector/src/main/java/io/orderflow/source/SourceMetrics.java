package io.orderflow.source;

import io.orderflow.common.metrics.PluginInstruments;

/** The metrics every reader publishes, under the same names whichever reader runs. */
public final class SourceMetrics {

    private final PluginInstruments instruments;
    private final PluginInstruments.Counter eventsEmitted;
    private final PluginInstruments.Timer eventsRate;
    /** Read by the metrics reporter's thread. */
    private volatile long newestEventMs = Long.MIN_VALUE;

    public SourceMetrics(PluginInstruments instruments) {
        this.instruments = instruments;
        eventsEmitted = instruments.counter("events-emitted-total", "Order events this task returned to the worker");
        eventsRate = instruments.rate("events-emitted-rate", "Order events this task returned per second");
        instruments.gauge("event-time-lag-ms", "Wall clock minus the event time of the newest event emitted "
                + "(-1 before the first)", () -> newestEventMs == Long.MIN_VALUE ? -1 : System.currentTimeMillis() - newestEventMs);
    }

    public PluginInstruments instruments() {
        return instruments;
    }

    /** A poll returned {@code count} events, the newest of them at {@code newestEventMs}. */
    public void emitted(int count, long newestEventMs) {
        eventsEmitted.add(count);
        eventsRate.record(count);
        if (newestEventMs > this.newestEventMs) {
            this.newestEventMs = newestEventMs;
        }
    }
}
