package io.orderflow.local.bench;

import io.orderflow.local.stack.StackProcesses;
import io.orderflow.testing.SchemaRegistryServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scaling (issue 16): each connector alone, with 1, 2 and 4 tasks over an 8-partition topic, on one worker process
 * and then on two (the second joins the first's Connect cluster), on the same real processes as
 * {@link PipelineBenchmark}. The source fills a fresh topic as fast as its tasks go for {@code bench.seconds}
 * (events/s by the broker's append times); then the lake, then the summary, read that topic from its start, each
 * alone, and its rate is taken between the moments 10 % and 90 % of the topic had become queryable (lake rows) or
 * been taken into the summary (stored offsets): the steady state, without start-up and the last file's rotation.
 *
 * <p>Options: {@code bench.formats} (json,avro: the shipped JSON configs, then the Avro ones through Apicurio
 * Registry, each format on a stack of its own), {@code bench.tasks.list} (1,2,4), {@code bench.workers.list} (1,2),
 * {@code bench.partitions} (8), {@code bench.seconds} (20), {@code bench.rotate.ms} (1000).
 */
public final class ScalingBenchmark {

    private ScalingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> formats = Arrays.asList(System.getProperty("bench.formats", "json,avro").split(","));
        int[] taskCounts = ints(System.getProperty("bench.tasks.list", "1,2,4"));
        int[] workerCounts = ints(System.getProperty("bench.workers.list", "1,2"));
        int partitions = Integer.getInteger("bench.partitions", 8);
        int seconds = Integer.getInteger("bench.seconds", 20);
        long rotateMs = Long.getLong("bench.rotate.ms", 1000);
        Path root = StackProcesses.projectRoot();
        Path archive = StackProcesses.archive(root);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        List<String> rows = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            for (String format : formats) {
                Path run = Files.createDirectories(root.resolve("packaging/local-stack/target/bench-scaling-" + stamp + "-" + format));
                System.out.printf("%n== %s: stack in %s%n", format, run);
                try (StackProcesses stack = new StackProcesses(root, run, StackProcesses.freePort(), List.of())) {
                    stack.startBroker();
                    stack.startS3();
                    SchemaRegistryServer registry = format.equals("avro") ? stack.startRegistry() : null;
                    stack.startWorker(archive);
                    int running = 1;
                    for (int workers : workerCounts) {
                        while (running < workers) {
                            running++;
                            stack.startWorker(archive, "worker-" + running, StackProcesses.freePort(), StackProcesses.freePort());
                        }
                        for (int tasks : taskCounts) {
                            String id = "scale-" + format + "-" + workers + "w" + tasks + "t";
                            PipelineConnectors connectors = new PipelineConnectors(id, root, stack, registry, url, false);
                            double source = fill(stack, connectors, partitions, tasks, seconds);
                            TopicAppends appends = TopicAppends.read(stack.bootstrapServers(), connectors.topic);
                            long total = appends.appendedBetween(0, Long.MAX_VALUE);
                            double lake = lake(stack, connectors, url, tasks, rotateMs, total);
                            double summary = summary(connectors, url, appends, partitions, tasks, total);
                            connectors.deleteAll();
                            String row = String.format("| %s | %d | %d | %,d | %,.0f (%,.0f) | %,.0f (%,.0f) | %,.0f (%,.0f) |",
                                    format, workers, tasks, total, source, source / tasks, lake, lake / tasks, summary,
                                    summary / tasks);
                            System.out.println(row);
                            rows.add(row);
                        }
                    }
                }
            }
        }
        System.out.printf("%n%d partitions, each connector alone; total records/s (per task)%n", partitions);
        System.out.println("| format | worker processes | tasks | records | source events/s | lake rows/s | summary records/s |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** The source alone, unthrottled, for {@code seconds}; its events/s over the middle of that time. */
    private static double fill(StackProcesses stack, PipelineConnectors connectors, int partitions, int tasks,
                               int seconds) throws Exception {
        TopicAppends.create(stack.bootstrapServers(), connectors.topic, partitions);
        connectors.deploySource(tasks, 0);
        long started = System.currentTimeMillis();
        Thread.sleep(seconds * 1000L);
        connectors.delete(connectors.source);
        Thread.sleep(2_000);
        TopicAppends appends = TopicAppends.read(stack.bootstrapServers(), connectors.topic);
        // The middle of the run: past the tasks' start, before the stop.
        long from = started + seconds * 250L;
        long to = started + seconds * 750L;
        return appends.appendedBetween(from, to) * 1000.0 / (to - from);
    }

    private static double lake(StackProcesses stack, PipelineConnectors connectors, String url, int tasks, long rotateMs,
                               long total) throws Exception {
        LakeVisibility visibility = new LakeVisibility(url, connectors.lakePrefix, stack.bucketDirectory(StackProcesses.LAKE_BUCKET));
        visibility.start();
        connectors.deployLake(tasks, rotateMs);
        long deadline = System.currentTimeMillis() + 300_000;
        while (visibility.timeWhenVisible(total * 9 / 10) < 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
        visibility.close();
        connectors.delete(connectors.lake);
        return rate(total, visibility.timeWhenVisible(total / 10), visibility.timeWhenVisible(total * 9 / 10));
    }

    private static double summary(PipelineConnectors connectors, String url, TopicAppends appends, int partitions,
                                  int tasks, long total) throws Exception {
        SummaryVisibility visibility = new SummaryVisibility(url, connectors.summary);
        visibility.start();
        connectors.deploySummary(tasks);
        long deadline = System.currentTimeMillis() + 300_000;
        while (visibility.timeWhenCovered(appends, partitions, total * 9 / 10) < 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(1_000);
        }
        visibility.close();
        connectors.delete(connectors.summary);
        return rate(total, visibility.timeWhenCovered(appends, partitions, total / 10),
                visibility.timeWhenCovered(appends, partitions, total * 9 / 10));
    }

    private static double rate(long total, long at10, long at90) {
        return at10 < 0 || at90 <= at10 ? Double.NaN : (total * 8 / 10) * 1000.0 / (at90 - at10);
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
