package io.orderflow.source;

import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives an {@link OrderSourceTask} outside a worker, with an in-memory offset store standing in for the
 * worker's. Unit tests only: the integration tests run the task in a real worker.
 */
public final class TaskHarness {

    private final Map<Map<String, Object>, Map<String, Object>> offsets = new HashMap<>();

    public void store(Map<String, ?> partition, Map<String, ?> offset) {
        offsets.put(new HashMap<>(partition), new HashMap<>(offset));
    }

    public OrderSourceTask start(Map<String, String> taskProps) {
        OrderSourceTask task = new OrderSourceTask();
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return taskProps;
            }

            @Override
            public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                return null;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new OffsetStorageReader() {
                    @Override
                    public <T> Map<String, Object> offset(Map<String, T> partition) {
                        return offsets.get(new HashMap<String, Object>(partition));
                    }

                    @Override
                    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                        Map<Map<String, T>, Map<String, Object>> result = new HashMap<>();
                        partitions.forEach(p -> result.put(p, offset(p)));
                        return result;
                    }
                };
            }
        });
        task.start(taskProps);
        return task;
    }

    /** Polls until {@code count} records arrived or {@code maxPolls} polls returned nothing new. */
    public static List<SourceRecord> poll(OrderSourceTask task, int count, int maxEmptyPolls) {
        List<SourceRecord> records = new ArrayList<>();
        int empty = 0;
        while (records.size() < count && empty < maxEmptyPolls) {
            List<SourceRecord> batch = task.poll();
            if (batch == null || batch.isEmpty()) {
                empty++;
            } else {
                records.addAll(batch);
            }
        }
        return records;
    }
}
