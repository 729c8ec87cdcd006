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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole pipeline on real processes (issue 16): a KRaft broker, S3Proxy, a {@code ConnectDistributed} worker
 * with the built archive on its plugin path (and, for Avro, Apicurio Registry), PostgreSQL as the warehouse; the
 * shipped source, lake and summary connectors at once, at each rate of {@code bench.rates} (orders/s in all, 0 = as
 * fast as the source goes), with JSON and with Avro. Per run: orders/s and events/s out of the source, rows/s made
 * queryable by the lake, records/s taken into the summary; freshness p50/p95/p99 from the broker appending a record
 * (LogAppendTime) to its raw row being queryable and to the summary covering it; the processes' CPU and the worker's
 * heap. Before the runs, on the same broker, Kafka's ProducerPerformance and ConsumerPerformance with records of the
 * same size: the machine's ceiling, so each rate is also a ratio.
 *
 * <p>Options (system properties): {@code bench.formats} (json,avro; also json-docs: JSON with the source's
 * {@code schema.docs=true}, the events as before the shipped JSON config turned the descriptions off), {@code bench.rates}
 * (1000,5000,10000,20000,0), {@code bench.seconds} (30 measured), {@code bench.warmup.seconds} (15),
 * {@code bench.partitions} (4, as the local stack), {@code bench.tasks} (2 per connector, as shipped),
 * {@code bench.rotate.ms} (1000: the lake's wall-clock rotation; the shipped 5000 bounds freshness at about 5 s);
 * {@code bench.rates=none} runs only the ceilings.
 *
 * <p>The rates run in order on one worker per format, so each run after the first finds the worker warmed by the
 * ones before it. A fresh worker needs minutes of running to reach its sustained rate (the JIT compiler is still busy
 * a minute in): to measure one rate alone, give it {@code bench.warmup.seconds=300}.
 */
public final class PipelineBenchmark {

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> formats = Arrays.asList(System.getProperty("bench.formats", "json,avro").split(","));
        String rateList = System.getProperty("bench.rates", "1000,5000,10000,20000,0");
        int[] rates = rateList.equals("none") ? new int[0]
                : Arrays.stream(rateList.split(",")).mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.getInteger("bench.seconds", 30);
        int warmup = Integer.getInteger("bench.warmup.seconds", 15);
        int partitions = Integer.getInteger("bench.partitions", 4);
        int tasks = Integer.getInteger("bench.tasks", 2);
        long rotateMs = Long.getLong("bench.rotate.ms", 1000);
        Path root = StackProcesses.projectRoot();
        Path archive = StackProcesses.archive(root);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        List<PipelineRun.Result> results = new ArrayList<>();
        List<String> ceilings = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            for (int round = 1; round <= formats.size(); round++) {
                String format = formats.get(round - 1);
                // Numbered, as a format may be listed more than once (alternating rounds of two variants).
                Path run = Files.createDirectories(root.resolve("packaging/local-stack/target/bench-pipeline-" + stamp
                        + "-" + round + "-" + format));
                System.out.printf("%n== %s: stack in %s%n", format, run);
                try (StackProcesses stack = new StackProcesses(root, run, StackProcesses.freePort(), List.of())) {
                    stack.startBroker();
                    stack.startS3();
                    SchemaRegistryServer registry = format.equals("avro") ? stack.startRegistry() : null;
                    stack.startWorker(archive);
                    Map<String, ProcessHandle> processes = new LinkedHashMap<>();
                    for (String name : List.of("worker", "broker", "s3proxy")) {
                        processes.put(name, stack.process(name));
                    }
                    // The ceilings first, on the fresh broker (measured after the runs they read up to half lower),
                    // with records of the size the pipeline writes: each run prints its own to compare.
                    int bytesPerRecord = switch (format) {
                        case "avro" -> 79;
                        case "json-docs" -> 1068;
                        default -> 776;
                    };
                    KafkaCeilings ceiling = KafkaCeilings.measure(stack.bootstrapServers(), "ceiling." + format,
                            partitions, 2_000_000, bytesPerRecord);
                    ceilings.add(String.format("| %s | %d | %,.0f | %,.0f |", format, bytesPerRecord,
                            ceiling.producerRecordsPerSecond(), ceiling.consumerRecordsPerSecond()));
                    PipelineRun pipeline = new PipelineRun(stack, url, partitions, tasks, rotateMs, warmup, seconds);
                    int firstOfRound = results.size();
                    for (int rate : rates) {
                        // The round in every name: the warehouse is shared by all rounds, and its load history and
                        // stored offsets belong to a topic (a second round on a topic of the same name would find
                        // the first one's).
                        String id = format + "-" + round + "-" + (rate == 0 ? "max" : Integer.toString(rate));
                        PipelineRun.Result result = pipeline.run(format,
                                new PipelineConnectors(id, root, stack, registry, url, format.equals("json-docs")), rate, processes);
                        results.add(result);
                        System.out.println(row(result) + String.format(" (%.0f B/record)", result.bytesPerRecord()));
                    }
                    for (PipelineRun.Result result : results.subList(firstOfRound, results.size())) {
                        System.out.printf("%s %s: source %.2f x ProducerPerformance, lake %.2f x and summary %.2f x ConsumerPerformance%n",
                                format, rate(result), result.eventsPerSecond() / ceiling.producerRecordsPerSecond(),
                                result.lakeRowsPerSecond() / ceiling.consumerRecordsPerSecond(),
                                result.summaryRecordsPerSecond() / ceiling.consumerRecordsPerSecond());
                    }
                }
            }
        }
        System.out.printf("%n%d partitions, %d tasks per connector, lake rotation %d ms, summary flush 500 ms; %d s measured after %d s%n",
                partitions, tasks, rotateMs, seconds, warmup);
        System.out.println("| format | target orders/s | orders/s | events/s | lake rows/s | summary rec/s | raw p50/p95/p99 ms (not visible) "
                + "| summary p50/p95/p99 ms (not covered) | CPU cores worker/broker/S3Proxy/machine | worker heap max MB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        results.forEach(r -> System.out.println(row(r)));
        System.out.println("\n| format | bytes/record | ProducerPerformance rec/s | ConsumerPerformance rec/s (fetch) |");
        System.out.println("|---|---|---|---|");
        ceilings.forEach(System.out::println);
    }

    private static String rate(PipelineRun.Result r) {
        return r.targetOrdersPerSecond() == 0 ? "unthrottled" : String.format("%,d", r.targetOrdersPerSecond());
    }

    private static String row(PipelineRun.Result r) {
        return String.format("| %s | %s | %,.0f | %,.0f | %,.0f | %,.0f | %d / %d / %d (%,d) | %d / %d / %d (%,d) | %.2f / %.2f / %.2f / %.2f | %,d |",
                r.format(), rate(r), r.ordersPerSecond(), r.eventsPerSecond(), r.lakeRowsPerSecond(),
                r.summaryRecordsPerSecond(), r.raw().percentile(0.50), r.raw().percentile(0.95), r.raw().percentile(0.99),
                r.rawMissing(), r.summary().percentile(0.50), r.summary().percentile(0.95), r.summary().percentile(0.99),
                r.summaryMissing(), r.cores().get("worker"), r.cores().get("broker"), r.cores().get("s3proxy"),
                r.machineCores(), r.heapMaxBytes() / (1024 * 1024));
    }
}
