package io.orderflow.testing;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The little a sink task asks of its context when a unit test or a benchmark drives it without a worker: seeks
 * are recorded for the test to check (nothing applies them), there are no pauses, and the dead letter queue is a
 * list, there only when a test asks for it (as {@code errors.tolerance=all} gives a reporter).
 * Integration tests run tasks in real workers instead.
 */
public final class WorkerlessSinkTaskContext implements SinkTaskContext {

    private final List<Map.Entry<TopicPartition, Long>> seeks = new ArrayList<>();
    /** Records reported to the dead letter queue with their errors; null: no reporter (errors.tolerance=none). */
    private List<Map.Entry<SinkRecord, Throwable>> deadLetters;

    /** Gives the task a reporter, as errors.tolerance=all does; the returned list fills as records are reported. */
    public List<Map.Entry<SinkRecord, Throwable>> withDeadLetters() {
        deadLetters = new ArrayList<>();
        return deadLetters;
    }

    /** The seeks the task asked for, in order. */
    public List<Map.Entry<TopicPartition, Long>> seeks() {
        return seeks;
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        offsets.forEach(this::offset);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        seeks.add(Map.entry(tp, offset));
    }

    @Override
    public void timeout(long timeoutMs) {
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Set.of();
    }

    @Override
    public void pause(TopicPartition... partitions) {
    }

    @Override
    public void resume(TopicPartition... partitions) {
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        if (deadLetters == null) {
            return null;
        }
        return (record, error) -> {
            deadLetters.add(Map.entry(record, error));
            return CompletableFuture.completedFuture(null);
        };
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}
