package io.orderflow.local.bench;

import io.orderflow.testing.ConnectorConfig;
import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.source.event.AmountType;
import io.orderflow.source.generator.OrderEventStream;
import io.orderflow.source.generator.ScheduledEvent;
import io.orderflow.testing.ConnectStack;
import org.apache.kafka.connect.json.JsonConverter;

import org.apache.kafka.tools.ProducerPerformance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Source connector throughput through a real worker into a real broker, next to Kafka's own
 * {@code ProducerPerformance} sending records of the same size to the same broker, in the same run.
 *
 * <p>Both write to a fresh single-partition topic per round with the worker's producer settings
 * (acks=all, no idempotence, one request in flight); the rate is the broker's append-time span over the
 * records ({@link AppendSpan}). Rounds alternate the two so drift on the machine hits both alike.
 * Options: {@code bench.events} records per run (default 500000), {@code bench.rounds} (default 3).
 */
public final class SourceThroughputBenchmark {

    private static final String START = "2026-01-01T00:00:00Z";
    private static final List<String> WORKER_PRODUCER_SETTINGS = List.of(
            "acks=all", "enable.idempotence=false", "max.in.flight.requests.per.connection=1");

    private SourceThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int targetEvents = Integer.getInteger("bench.events", 500_000);
        int rounds = Integer.getInteger("bench.rounds", 3);

        Map<String, String> connector = connectorConfig(targetEvents * 10L / 36);
        Sample sample = Sample.of(connector);
        System.out.printf("source: %,d orders -> %,d events, %.1f bytes per record (key + JSON value with schema)%n",
                sample.orders, sample.events, sample.bytesPerRecord);

        List<Double> ratios = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        try (ConnectStack stack = ConnectStack.start("orderflow-bench", 1, Map.of("exactly.once.source.support", "disabled"))) {
            // Warm up the broker, the worker and both code paths once, unmeasured.
            producerPerformance(stack, "warmup.pp", 100_000, (int) sample.bytesPerRecord);
            runSource(stack, "warmup", connectorConfig(30_000), sampleEvents(connectorConfig(30_000)));

            for (int round = 1; round <= rounds; round++) {
                AppendSpan baseline = producerPerformance(stack, "bench.pp." + round, sample.events, (int) sample.bytesPerRecord);
                AppendSpan source = runSource(stack, "bench.source." + round, connector, sample.events);
                double ratio = source.recordsPerSecond() / baseline.recordsPerSecond();
                ratios.add(ratio);
                rows.add(String.format("| %d | %,.0f | %.1f | %,.0f | %.1f | %.2f |", round,
                        baseline.recordsPerSecond(), baseline.megabytesPerSecond(sample.bytesPerRecord),
                        source.recordsPerSecond(), source.megabytesPerSecond(sample.bytesPerRecord), ratio));
            }
        }
        Collections.sort(ratios);
        System.out.println();
        System.out.printf("%,d records of %.0f bytes per run, 1 task, 1 partition%n", sample.events, sample.bytesPerRecord);
        System.out.println("| round | ProducerPerformance rec/s | MB/s | OrderSource (1 task) rec/s | MB/s | ratio |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf("median ratio source / ProducerPerformance: %.2f (goal >= 0.70)%n", ratios.get(ratios.size() / 2));
    }

    private static Map<String, String> connectorConfig(long orders) {
        Map<String, String> config = ConnectorConfig.sink(ConnectorConfig.ORDER_SOURCE, null, 1).with(
                "value.converter.schemas.enable", "true",
                "value.converter.decimal.format", "NUMERIC",
                "orders.per.second", "0",
                "max.orders", Long.toString(orders),
                "event.time.start", START,
                "seed", "7",
                "batch.max.records", "2000").toMap();
        return config;
    }

    private static AppendSpan runSource(ConnectStack stack, String name, Map<String, String> config, long events)
            throws InterruptedException {
        stack.connect().kafka().createTopic(name, 1, 1, AppendSpan.TOPIC_CONFIG);
        Map<String, String> withTopic = new HashMap<>(config);
        withTopic.put("topic", name);
        withTopic.put("name", name);
        stack.rest("PUT", "connectors/" + name + "/config", ConnectStack.toJson(withTopic));
        AppendSpan span = AppendSpan.await(stack.bootstrapServers(), name, events, Duration.ofMinutes(10));
        stack.connect().deleteConnector(name);
        return span;
    }

    /**
     * Runs Kafka's ProducerPerformance in this JVM, beside the broker and the worker, exactly where the source
     * task runs: same heap, same JIT warm-up, same cores.
     */
    private static AppendSpan producerPerformance(ConnectStack stack, String topic, long records, int recordSize)
            throws Exception {
        stack.connect().kafka().createTopic(topic, 1, 1, AppendSpan.TOPIC_CONFIG);
        List<String> args = new ArrayList<>(List.of(
                "--topic", topic, "--num-records", Long.toString(records), "--record-size", Integer.toString(recordSize),
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + stack.bootstrapServers()));
        args.addAll(WORKER_PRODUCER_SETTINGS);
        ProducerPerformance.main(args.toArray(String[]::new));
        return AppendSpan.await(stack.bootstrapServers(), topic, records, Duration.ofMinutes(1));
    }

    private static long sampleEvents(Map<String, String> config) {
        return Sample.of(config).events;
    }

    /** The exact stream the connector will produce, and its serialized record size. */
    private record Sample(long orders, long events, double bytesPerRecord) {

        static Sample of(Map<String, String> config) {
            OrderSourceTaskConfig task = new OrderSourceTaskConfig(OrderSourceTaskConfig.forTask(config, 0, 1, java.time.Instant.parse(START).toEpochMilli()));
            JsonConverter converter = new JsonConverter();
            converter.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), false);
            OrderEventStream stream = OrderEventStream.fromStart(task.freshGeneratorSettings());
            long events = 0;
            long bytes = 0;
            while (stream.hasNext()) {
                ScheduledEvent event = stream.next();
                if (events < 20_000) {
                    bytes += event.event().orderId().getBytes(StandardCharsets.UTF_8).length
                            + converter.fromConnectData("t", OrderEventSchema.valueSchema(AmountType.DECIMAL),
                                    OrderEventSchema.toStruct(event.event(), AmountType.DECIMAL)).length;
                }
                events++;
            }
            return new Sample(task.generator().maxOrders(), events, bytes / (double) Math.min(events, 20_000));
        }
    }
}
