package io.orderflow.sink.lake;

import io.orderflow.common.metrics.PluginInstruments;
import io.orderflow.common.metrics.PluginInstruments.Counter;
import io.orderflow.common.metrics.PluginInstruments.Timer;

/**
 * The lake task's plugin metrics (KIP-877; none on workers older than Kafka 4.1). Gauges are read on the metrics
 * reporter's thread, so they read volatile snapshots the task thread leaves at the end of each batch and commit.
 */
final class LakeMetrics {

    final Counter recordsWritten;
    final Counter filesCommitted;
    final Counter bytesCommitted;
    final Timer commitLatency;
    final Counter filesLoaded;
    final Timer loadLatency;
    final Counter loadFailures;

    private volatile long openFiles;
    private volatile long bufferedBytes;
    private volatile long newestCommittedEventMs = Long.MIN_VALUE;

    LakeMetrics(PluginInstruments metrics) {
        recordsWritten = metrics.counter("records-written-total", "Records written to open Parquet files");
        filesCommitted = metrics.counter("files-committed-total", "Parquet files uploaded and covered by a commit marker");
        bytesCommitted = metrics.counter("bytes-committed-total", "Bytes of the committed Parquet files");
        commitLatency = metrics.timer("commit-latency",
                "Time from a partition's rotation to its marker (the last encoding, upload and marker, off the task thread)");
        filesLoaded = metrics.counter("files-loaded-total", "Committed files loaded into the warehouse");
        loadLatency = metrics.timer("load-latency", "Time to load one commit's files into the warehouse");
        loadFailures = metrics.counter("load-failures-total",
                "Committed lake files the warehouse refused and that were recorded as FAILED (record-and-continue)");
        metrics.gauge("open-files", "Parquet files open in this task", () -> openFiles);
        metrics.gauge("buffered-bytes", "Estimated heap held by the open files", () -> bufferedBytes);
        metrics.gauge("freshness-ms", "Wall clock minus the event time of the newest record in a committed file "
                + "(-1 before the first commit)", () -> newestCommittedEventMs == Long.MIN_VALUE ? -1
                : System.currentTimeMillis() - newestCommittedEventMs);
    }

    static LakeMetrics none() {
        return new LakeMetrics(PluginInstruments.none());
    }

    void held(long files, long bytes) {
        openFiles = files;
        bufferedBytes = bytes;
    }

    void committed(long newestEventMs) {
        if (newestEventMs > newestCommittedEventMs) {
            newestCommittedEventMs = newestEventMs;
        }
    }
}
