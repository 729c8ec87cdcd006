package io.orderflow.local.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latency samples in milliseconds, and their percentiles (nearest rank, -1 when there are none). */
final class Latencies {

    private final List<Long> samples = new ArrayList<>();
    private boolean sorted = true;

    void add(long millis) {
        samples.add(millis);
        sorted = false;
    }

    int count() {
        return samples.size();
    }

    long percentile(double p) {
        if (samples.isEmpty()) {
            return -1;
        }
        if (!sorted) {
            Collections.sort(samples);
            sorted = true;
        }
        return samples.get((int) Math.min(samples.size() - 1, Math.floor(p * samples.size())));
    }

    long max() {
        return percentile(1.0);
    }

    /** {@code count | p50 | p99 | max}, the row the freshness tables of BENCHMARKS.md print. */
    String p50p99Max() {
        return String.format("%,d | %d | %d | %d", count(), percentile(0.50), percentile(0.99), max());
    }
}
