package io.orderflow.sink.aggregate;

import io.orderflow.common.metrics.PluginInstruments;
import io.orderflow.common.metrics.PluginInstruments.Counter;
import io.orderflow.common.metrics.PluginInstruments.Timer;

/** The aggregate task's plugin metrics (KIP-877; none on workers older than Kafka 4.1). */
final class AggregateMetrics {

    final Counter recordsAggregated;
    final Counter lateRecords;
    final Counter lateDropped;
    final Counter windowsUpdated;
    final Timer windowsPerFlush;
    final Timer flushLatency;

    private volatile long newestStoredEventMs = Long.MIN_VALUE;

    AggregateMetrics(PluginInstruments metrics) {
        recordsAggregated = metrics.counter("records-aggregated-total", "Records added to window deltas");
        lateRecords = metrics.counter("late-records-total", "Records for windows already closed by the watermark");
        lateDropped = metrics.counter("late-records-dropped-total", "Late records left out (late.policy=drop)");
        windowsUpdated = metrics.counter("windows-updated-total", "Summary rows upserted by flushes");
        windowsPerFlush = metrics.values("windows-per-flush", "Summary rows one flush upserts");
        flushLatency = metrics.timer("flush-latency", "Time of one flush: deltas and offsets in one transaction");
        metrics.gauge("freshness-ms", "Wall clock minus the newest event time a flush has stored (-1 before the first)",
                () -> newestStoredEventMs == Long.MIN_VALUE ? -1 : System.currentTimeMillis() - newestStoredEventMs);
    }

    void flushed(int windows, long newestEventMs, long startedNanos) {
        flushLatency.recordSince(startedNanos);
        windowsUpdated.add(windows);
        windowsPerFlush.record(windows);
        if (newestEventMs > newestStoredEventMs) {
            newestStoredEventMs = newestEventMs;
        }
    }
}
