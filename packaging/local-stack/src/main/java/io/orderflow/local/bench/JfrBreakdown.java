package io.orderflow.local.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Where a sink task's CPU goes, from a JFR recording of the sink benchmark: each execution sample of the threads
 * named by {@code breakdown.threads} (a regex; by default the lake connector's task, encoding and commit threads) is
 * put in the first category any frame of its stack matches, and the shares are printed per thread (the task thread's
 * samples are found by time, see below). With
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
        // The worker runs tasks on pooled threads and renames them, which JFR does not see; a lake task's own threads
        // are named after it, so their first and last samples mark when that task ran: samples of pooled threads in
        // that span are counted as the task thread's.
        List<RecordedEvent> events = new ArrayList<>();
        Map<String, Instant[]> spans = new TreeMap<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getThread("sampledThread") == null
                        || event.getStackTrace() == null || event.getThread("sampledThread").getJavaName() == null) {
                    continue;
                }
                events.add(event);
                String thread = event.getThread("sampledThread").getJavaName();
                if (thread.endsWith("-lake-encoding") && threads.matcher(thread).matches()) {
                    Instant[] span = spans.computeIfAbsent(thread.replaceAll("-\\d+-lake-encoding$", ""),
                            t -> new Instant[] {event.getStartTime(), event.getStartTime()});
                    span[0] = span[0].isBefore(event.getStartTime()) ? span[0] : event.getStartTime();
                    span[1] = span[1].isAfter(event.getStartTime()) ? span[1] : event.getStartTime();
                }
            }
        }
        Map<String, long[]> samples = new TreeMap<>();
        for (RecordedEvent event : events) {
            String thread = event.getThread("sampledThread").getJavaName();
            String counted = null;
            if (threads.matcher(thread).matches()) {
                counted = thread;
            } else if (thread.startsWith("pool-") && !event.getStackTrace().getFrames().stream()
                    .anyMatch(f -> f.isJavaFrame() && f.getMethod().getType().getName().contains("CountingSink"))) {
                for (Map.Entry<String, Instant[]> span : spans.entrySet()) {
                    if (!event.getStartTime().isBefore(span.getValue()[0]) && !event.getStartTime().isAfter(span.getValue()[1])) {
                        counted = span.getKey() + " (task thread)";
                    }
                }
            }
            if (counted != null) {
                samples.computeIfAbsent(counted, t -> new long[CATEGORIES.size()])[categoryOf(event.getStackTrace().getFrames())]++;
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
