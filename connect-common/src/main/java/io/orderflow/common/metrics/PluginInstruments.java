package io.orderflow.common.metrics;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
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

    private static final Logger log = LoggerFactory.getLogger(PluginInstruments.class);
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
        return register(name, description, (Gauge<Long>) (config, now) -> total.sum()) ? new Counter(total) : Counter.NONE;
    }

    /**
     * A per-second rate over the metrics window, {@code name} (by convention ending in {@code -rate}), for a quantity
     * recorded once per batch ({@link Timer#record}), never per record.
     */
    public Timer rate(String name, String description) {
        return sensor(name, Map.of(name, new Rate()), Map.of(name, description));
    }

    /** A duration in milliseconds, as {@code <base>-avg-ms} and {@code <base>-max-ms} over the metrics window. */
    public Timer timer(String base, String description) {
        return sensor(base, Map.of(base + "-avg-ms", new Avg(), base + "-max-ms", new Max()),
                Map.of(base + "-avg-ms", description + ", average in milliseconds",
                        base + "-max-ms", description + ", maximum in milliseconds"));
    }

    /** Values of some quantity per event (say, windows per flush), as {@code <base>-avg} and {@code <base>-max}. */
    public Timer values(String base, String description) {
        return sensor(base, Map.of(base + "-avg", new Avg(), base + "-max", new Max()),
                Map.of(base + "-avg", description + ", average", base + "-max", description + ", maximum"));
    }

    /** A value read when the metric is read (JMX, a reporter); {@code value} must be cheap and thread-safe. */
    public void gauge(String name, String description, LongSupplier value) {
        if (metrics != null) {
            register(name, description, (Gauge<Long>) (config, now) -> value.getAsLong());
        }
    }

    private Timer sensor(String base, Map<String, MeasurableStat> stats, Map<String, String> descriptions) {
        if (metrics == null) {
            return Timer.NONE;
        }
        Sensor sensor = metrics.addSensor(base + sensorSuffix);
        for (Map.Entry<String, MeasurableStat> stat : stats.entrySet()) {
            MetricName name = metricName(stat.getKey(), descriptions.get(stat.getKey()));
            try {
                sensor.add(name, stat.getValue());
            } catch (IllegalArgumentException takenByThePreviousInstance) {
                warnTaken(name.name());
            }
        }
        return new Timer(sensor);
    }

    /**
     * Registers a metric; never fails the plugin. A restarted task can start before the worker has removed the
     * metrics of the instance it replaces (an exactly-once source task being fenced, say), under the same names,
     * which only that instance's PluginMetrics may remove: the new instance then runs without that metric.
     */
    private boolean register(String name, String description, Gauge<Long> gauge) {
        try {
            metrics.addMetric(metricName(name, description), gauge);
            return true;
        } catch (IllegalArgumentException takenByThePreviousInstance) {
            warnTaken(name);
            return false;
        }
    }

    private static void warnTaken(String name) {
        log.warn("Plugin metric {} is still registered by the task instance this one replaces; this instance runs "
                + "without it (it returns at the next restart)", name);
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
