package io.orderflow.testing;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The little a sink task asks of its context when a unit test or a benchmark drives it without a worker: seeks
 * are recorded for the test to check (nothing applies them), and there are no pauses or dead letter queue.
 * Integration tests run tasks in real workers instead.
 */
public final class WorkerlessSinkTaskContext implements SinkTaskContext {

    private final List<Map.Entry<TopicPartition, Long>> seeks = new ArrayList<>();

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
        return null;
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}
