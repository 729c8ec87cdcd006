package io.orderflow.local.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Where a sink task's CPU goes, from a JFR recording of the sink benchmark: each execution sample of the threads
 * named by {@code breakdown.threads} (a regex; by default the lake connector's task, encoding and commit threads) is
 * put in the first category any frame of its stack matches, and the shares are printed per thread. With
 * {@code breakdown.rate} (the connector's measured records/s) each share of a busy task thread is also given as µs per
 * record.
 *
 * <pre>
 * mvn -B -q -pl packaging/local-stack -am -DskipTests package exec:exec@sink-benchmark -Dbench.jfr=target/sink.jfr
 * mvn -B -q -pl packaging/local-stack exec:exec@jfr-breakdown -Dbreakdown.file=target/sink.jfr
 * </pre>
 */
public final class JfrBreakdown {

    private record Category(String name, Predicate<String> frame) {
    }

    /** In priority order: a sample in the converter called from the worker counts as converter, not worker. */
    private static final List<Category> CATEGORIES = List.of(
            new Category("converter (toConnectData)", f -> f.contains("Converter.toConnectData") || f.contains("AvroData.toConnectData")),
            new Category("Parquet encoding and compression", f -> f.startsWith("org.apache.parquet.") || f.startsWith("org.xerial.snappy.")
                    || f.contains("StructWriteSupport")),
            new Category("orderflow: checks, placement, preparing", f -> f.startsWith("io.orderflow.sink.lake.RecordPlacement")
                    || f.startsWith("io.orderflow.sink.lake.format.") || f.startsWith("io.orderflow.sink.lake.partition.")),
            new Category("orderflow: upload, marker, load", f -> f.startsWith("io.orderflow.sink.lake.store.")
                    || f.startsWith("io.orderflow.sink.lake.PartitionCommit") || f.startsWith("io.orderflow.sink.warehouse.")),
            new Category("orderflow: other", f -> f.startsWith("io.orderflow.")),
            new Category("transforms", f -> f.startsWith("org.apache.kafka.connect.runtime.TransformationChain")),
            new Category("consumer (fetch, poll)", f -> f.startsWith("org.apache.kafka.clients.")),
            new Category("worker and JDK, other", f -> true));

    public static void main(String[] args) throws Exception {
        Path file = Path.of(System.getProperty("breakdown.file", "target/sink.jfr"));
        Pattern threads = Pattern.compile(System.getProperty("breakdown.threads", "task-thread-bench-lake-.*"));
        double rate = Double.parseDouble(System.getProperty("breakdown.rate", "0"));
        Map<String, long[]> samples = new TreeMap<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getThread("sampledThread") == null
                        || event.getStackTrace() == null) {
                    continue;
                }
                String thread = event.getThread("sampledThread").getJavaName();
                if (thread == null || !threads.matcher(thread).matches()) {
                    continue;
                }
                samples.computeIfAbsent(thread, t -> new long[CATEGORIES.size()])[categoryOf(event.getStackTrace().getFrames())]++;
            }
        }
        for (Map.Entry<String, long[]> thread : samples.entrySet()) {
            long total = 0;
            for (long count : thread.getValue()) {
                total += count;
            }
            System.out.printf("%n%s: %,d samples%n| where | share |%s%n|---|---|%s%n", thread.getKey(), total,
                    rate > 0 ? " µs per record |" : "", rate > 0 ? "---|" : "");
            for (int i = 0; i < CATEGORIES.size(); i++) {
                double share = (double) thread.getValue()[i] / total;
                System.out.printf("| %s | %.1f %% |%s%n", CATEGORIES.get(i).name(), 100 * share,
                        rate > 0 ? String.format(" %.2f |", share * 1e6 / rate) : "");
            }
        }
    }

    private static int categoryOf(List<RecordedFrame> frames) {
        for (int i = 0; i < CATEGORIES.size(); i++) {
            for (RecordedFrame frame : frames) {
                if (frame.isJavaFrame() && CATEGORIES.get(i).frame().test(frame.getMethod().getType().getName() + "."
                        + frame.getMethod().getName())) {
                    return i;
                }
            }
        }
        return CATEGORIES.size() - 1;
    }
}
