package io.orderflow.sink;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.connect.sink.SinkTaskContext;

import java.util.LinkedHashMap;

/**
 * Cumulative counters a sink task exposes as plugin metrics (KIP-877, Kafka 4.1+; JMX group
 * {@code kafka.connect.plugins}). On an older worker there are none and recording is a no-op.
 */
public final class TaskCounters {

    /** A counter; {@link #increment()} costs nothing where the worker has no plugin metrics. */
    public static final class Counter {
        private final Sensor sensor;

        private Counter(Sensor sensor) {
            this.sensor = sensor;
        }

        public void increment() {
            if (sensor != null) {
                sensor.record();
            }
        }
    }

    private final PluginMetrics metrics;

    public TaskCounters(SinkTaskContext context) {
        this.metrics = TaskContexts.pluginMetrics(context);
    }

    public Counter counter(String name, String description) {
        if (metrics == null) {
            return new Counter(null);
        }
        MetricName metric = metrics.metricName(name, description, new LinkedHashMap<>());
        Sensor sensor = metrics.addSensor(name);
        sensor.add(metric, new CumulativeCount());
        return new Counter(sensor);
    }
}
