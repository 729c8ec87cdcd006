package io.orderflow.local.bench;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sink that only counts what the worker hands it: the ceiling the worker itself (consumer, converter, task
 * loop) sets for any sink on this machine. Benchmarks run it next to the real sink, on the same topic, with the
 * same converter. {@code bench.expected} records end the measurement; {@link #rate} reports records per second
 * from the first {@code put} to the one that delivered the last expected record, {@link #taskThreadMicros} the task
 * thread's CPU per record over the same span (polling, converting and the task loop: what every sink's task thread
 * spends before its own code).
 */
public final class CountingSinkConnector extends SinkConnector {

    static final String EXPECTED = "bench.expected";
    /** Busy time spent per record, to see how a worker feeds a task that is busy without allocating or doing I/O. */
    static final String WORK_NANOS = "bench.work.nanos";
    private static final Map<String, double[]> RATES = new ConcurrentHashMap<>();
    private static final java.lang.management.ThreadMXBean THREAD_CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CountingTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef()
                .define(EXPECTED, ConfigDef.Type.LONG, ConfigDef.Importance.HIGH, "records that end the measurement")
                .define(WORK_NANOS, ConfigDef.Type.LONG, 0L, ConfigDef.Importance.LOW, "busy nanoseconds per record");
    }

    @Override
    public String version() {
        return "bench";
    }

    /** Records per second the task received, once it has seen every expected record; null before. */
    static Double rate(String connector) {
        double[] rate = RATES.get(connector);
        return rate == null ? null : rate[0];
    }

    /** The task thread's CPU per record (µs) for the records after the first batch, once they are all seen; null before. */
    static Double taskThreadMicros(String connector) {
        double[] rate = RATES.get(connector);
        return rate == null ? null : rate[1];
    }

    public static final class CountingTask extends SinkTask {
        private String connector;
        private long expected;
        private long seen;
        private long firstPutNanos;
        private long firstPutCpuNanos;
        private long firstBatch;
        private long workNanos;

        @Override
        public void start(Map<String, String> props) {
            connector = props.get("name");
            expected = Long.parseLong(props.get(EXPECTED));
            workNanos = Long.parseLong(props.getOrDefault(WORK_NANOS, "0"));
        }

        @Override
        public void put(Collection<SinkRecord> records) {
            if (records.isEmpty() || seen >= expected) {
                return;
            }
            if (seen == 0) {
                firstPutNanos = System.nanoTime();
                // The first batch was polled and converted before this reading: it does not count in the CPU figure.
                firstPutCpuNanos = THREAD_CPU.getCurrentThreadCpuTime();
                firstBatch = records.size();
            }
            for (SinkRecord record : records) {
                if (workNanos > 0) {
                    long until = System.nanoTime() + workNanos;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
                if (record.value() == null) {
                    throw new IllegalStateException("Unexpected tombstone at offset " + record.kafkaOffset());
                }
            }
            seen += records.size();
            if (seen >= expected) {
                double cpuMicros = (THREAD_CPU.getCurrentThreadCpuTime() - firstPutCpuNanos) / 1e3 / (seen - firstBatch);
                RATES.put(connector, new double[] {seen / ((System.nanoTime() - firstPutNanos) / 1e9), cpuMicros});
            }
        }

        @Override
        public void stop() {
        }

        @Override
        public String version() {
            return "bench";
        }
    }
}
