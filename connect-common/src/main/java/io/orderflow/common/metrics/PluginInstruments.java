package io.orderflow.common.metrics;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.apache.kafka.connect.source.SourceTaskContext;

import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The metrics a plugin publishes through KIP-877 (Kafka 4.1+): the worker registers them over JMX as
 * {@code kafka.connect:type=plugins,connector=...,task=...} (transforms and predicates add their alias and kind) and
 * removes them when the plugin stops. On an older worker there is no {@link PluginMetrics}; every instrument is then
 * a no-op that costs a null check, so the plugin runs the same, without metrics.
 *
 * <p>Instruments are created once, in {@code start()}/{@code configure()}/{@code withPluginMetrics}; recording is
 * all the per-record path does.
 */
public final class PluginInstruments {

    private static final AtomicLong INSTANCES = new AtomicLong();
    private static final PluginInstruments NONE = new PluginInstruments(null);

    private final PluginMetrics metrics;
    /**
     * Sensor names are global in the worker's metrics registry, while metric names carry the plugin's tags: two
     * tasks asking for sensor "x" would share one and each publish the other's counts. A per-instance suffix keeps
     * each task's sensors its own.
     */
    private final String sensorSuffix;

    private PluginInstruments(PluginMetrics metrics) {
        this.metrics = metrics;
        this.sensorSuffix = "-orderflow-" + INSTANCES.incrementAndGet();
    }

    public static PluginInstruments none() {
        return NONE;
    }

    /** The plugin metrics handed to a {@code Monitorable} plugin (transforms, predicates). */
    public static PluginInstruments of(PluginMetrics metrics) {
        return metrics == null ? NONE : new PluginInstruments(metrics);
    }

    /** A sink task's metrics, or none on a worker older than Kafka 4.1 (no {@code pluginMetrics()}). */
    public static PluginInstruments forTask(SinkTaskContext context) {
        try {
            return of(context.pluginMetrics());
        } catch (NoSuchMethodError | NoClassDefFoundError | AbstractMethodError olderWorker) {
            return NONE;
        }
    }

    /** A source task's metrics, or none on a worker older than Kafka 4.1 (no {@code pluginMetrics()}). */
    public static PluginInstruments forTask(SourceTaskContext context) {
        try {
            return of(context.pluginMetrics());
        } catch (NoSuchMethodError | NoClassDefFoundError | AbstractMethodError olderWorker) {
            return NONE;
        }
    }

    public boolean enabled() {
        return metrics != null;
    }

    /**
     * A cumulative total, {@code name} (by convention ending in {@code -total}). Counting is a {@link LongAdder}
     * increment read by a gauge, not a sensor: counters sit on per-record paths, where a sensor's lock and stats would
     * cost more than the work counted. Rates are the reader's to take (Prometheus' {@code rate()}).
     */
    public Counter counter(String name, String description) {
        if (metrics == null) {
            return Counter.NONE;
        }
        LongAdder total = new LongAdder();
        metrics.addMetric(metricName(name, description), (Gauge<Long>) (config, now) -> total.sum());
        return new Counter(total);
    }

    /**
     * A per-second rate over the metrics window, {@code name} (by convention ending in {@code -rate}), for a quantity
     * recorded once per batch ({@link Timer#record}), never per record.
     */
    public Timer rate(String name, String description) {
        if (metrics == null) {
            return Timer.NONE;
        }
        Sensor sensor = metrics.addSensor(name + sensorSuffix);
        sensor.add(metricName(name, description), new Rate());
        return new Timer(sensor);
    }

    /** A duration in milliseconds, as {@code <base>-avg-ms} and {@code <base>-max-ms} over the metrics window. */
    public Timer timer(String base, String description) {
        if (metrics == null) {
            return Timer.NONE;
        }
        Sensor sensor = metrics.addSensor(base + sensorSuffix);
        sensor.add(metricName(base + "-avg-ms", description + ", average in milliseconds"), new Avg());
        sensor.add(metricName(base + "-max-ms", description + ", maximum in milliseconds"), new Max());
        return new Timer(sensor);
    }

    /** Values of some quantity per event (say, windows per flush), as {@code <base>-avg} and {@code <base>-max}. */
    public Timer values(String base, String description) {
        if (metrics == null) {
            return Timer.NONE;
        }
        Sensor sensor = metrics.addSensor(base + sensorSuffix);
        sensor.add(metricName(base + "-avg", description + ", average"), new Avg());
        sensor.add(metricName(base + "-max", description + ", maximum"), new Max());
        return new Timer(sensor);
    }

    /** A value read when the metric is read (JMX, a reporter); {@code value} must be cheap and thread-safe. */
    public void gauge(String name, String description, LongSupplier value) {
        if (metrics != null) {
            metrics.addMetric(metricName(name, description), (Gauge<Long>) (config, now) -> value.getAsLong());
        }
    }

    private MetricName metricName(String name, String description) {
        return metrics.metricName(name, description, new LinkedHashMap<>());
    }

    /** Adds to a total. */
    public static final class Counter {
        /** Counts nothing: the instrument of a plugin before (or without) {@code withPluginMetrics}. */
        public static final Counter NONE = new Counter(null);
        private final LongAdder total;

        private Counter(LongAdder total) {
            this.total = total;
        }

        public void increment() {
            if (total != null) {
                total.increment();
            }
        }

        public void add(long amount) {
            if (total != null) {
                total.add(amount);
            }
        }
    }

    /** Records durations (or, from {@link #values}, any quantity). */
    public static final class Timer {
        static final Timer NONE = new Timer(null);
        private final Sensor sensor;

        private Timer(Sensor sensor) {
            this.sensor = sensor;
        }

        public void record(long value) {
            if (sensor != null) {
                sensor.record(value);
            }
        }

        /** Records the time since {@code startNanos} (a {@link System#nanoTime()} reading). */
        public void recordSince(long startNanos) {
            if (sensor != null) {
                sensor.record((System.nanoTime() - startNanos) / 1e6);
            }
        }
    }
}
