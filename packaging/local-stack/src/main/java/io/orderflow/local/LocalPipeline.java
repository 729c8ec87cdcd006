package io.orderflow.local;

import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.source.generator.OrderEventStream;
import io.orderflow.testing.CommittedTopicReader;
import io.orderflow.testing.ConnectStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.rest.entities.TaskInfo;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the orderflow pipeline on this machine with the embedded defaults: a real KRaft broker and a real
 * Connect worker in this JVM, connectors deployed from {@code connector-configs/} through the REST API.
 *
 * <p>Options (system properties): {@code orderflow.orders} (default 1000) orders to generate,
 * {@code orderflow.rate} orders per second per task (default: the config file's).
 */
public final class LocalPipeline {

    private static final String TOPIC = "orders.events";
    /** The Flink job's watermark: events further behind than this are late for a 1-minute window. */
    private static final long WATERMARK_LAG_MS = 5_000;

    private LocalPipeline() {
    }

    public static void main(String[] args) {
        long orders = Long.getLong("orderflow.orders", 1_000);
        Path configs = ProjectPaths.connectorConfigs();
        Map<String, String> overrides = new HashMap<>();
        overrides.put("max.orders", Long.toString(orders));
        String rate = System.getProperty("orderflow.rate");
        if (rate != null) {
            overrides.put("orders.per.second", rate);
        }

        System.out.println("orderflow local pipeline: starting a KRaft broker and a Connect worker ...");
        try (ConnectStack stack = ConnectStack.start("orderflow-local", 1)) {
            stack.connect().kafka().createTopic(TOPIC, 4);
            String name = stack.deploy(configs.resolve("order-source.json"), overrides);
            stack.connect().assertions().assertConnectorAndAtLeastNumTasksAreRunning(name, 1, name + " did not start");
            System.out.printf("deployed %s from %s (%d orders) through %s%n", name, configs.resolve("order-source.json"),
                    orders, stack.connect().endpointForResource("connectors"));
            Path lake = Files.createTempDirectory("orderflow-lake-");
            Path warehouse = lake.resolve("warehouse.duckdb");
            String lakeSink = stack.deploy(configs.resolve("order-lake.json"), Map.of("store.url", lake.resolve("files").toUri().toString(),
                    "duckdb.path", warehouse.toString(), "rotate.schedule.interval.ms", "2000"));
            stack.connect().assertions().assertConnectorAndAtLeastNumTasksAreRunning(lakeSink, 1, lakeSink + " did not start");
            System.out.printf("deployed %s writing Parquet to %s%n", lakeSink, lake);
            String summarySink = stack.deploy(configs.resolve("order-summary.json"), Map.of("duckdb.path", warehouse.toString()));
            stack.connect().assertions().assertConnectorAndAtLeastNumTasksAreRunning(summarySink, 1, summarySink + " did not start");
            System.out.printf("deployed %s writing the per-minute summary to %s%n", summarySink, warehouse);

            int expected = expectedEvents(stack.connect().taskConfigs(name));
            long started = System.nanoTime();
            List<ConsumerRecord<byte[], byte[]>> records = CommittedTopicReader.read(stack.bootstrapServers(), TOPIC,
                    expected, Duration.ofMinutes(10), Duration.ofSeconds(2), new ProgressPrinter(expected));
            double seconds = (System.nanoTime() - started) / 1e9;
            new Summary(records).print(expected, seconds);
            if (records.size() != expected) {
                throw new IllegalStateException("expected " + expected + " events, read " + records.size());
            }
            new LakeReport(lake.resolve("files"), warehouse).awaitAndPrint(expected);
            new SummaryReport(warehouse).awaitAndPrint();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.io.IOException | java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The generator is deterministic: the tasks' configs say exactly how many events they will produce. */
    private static int expectedEvents(List<TaskInfo> tasks) {
        int events = 0;
        for (TaskInfo task : tasks) {
            OrderEventStream stream = OrderEventStream.fromStart(new OrderSourceTaskConfig(task.config()).freshGeneratorSettings());
            while (stream.hasNext()) {
                stream.next();
                events++;
            }
        }
        return events;
    }

    private static final class ProgressPrinter implements java.util.function.IntConsumer {
        private final int expected;
        private long lastPrint;

        ProgressPrinter(int expected) {
            this.expected = expected;
        }

        @Override
        public void accept(int seen) {
            long now = System.nanoTime();
            if (now - lastPrint > 1_000_000_000L || seen >= expected) {
                lastPrint = now;
                System.out.printf("  %s: %,d / %,d events%n", TOPIC, seen, expected);
            }
        }
    }

    /** What arrived in the topic, summarised the way a data engineer checks a feed. */
    private static final class Summary {
        private final Map<String, Integer> byStatus = new TreeMap<>();
        private final Map<String, BigDecimal> completedRevenue = new TreeMap<>();
        private final Map<String, List<String>> lifecycles = new HashMap<>();
        private final List<String> samples = new ArrayList<>();
        private int behindWatermark;
        private long maxLatenessMs;

        Summary(List<ConsumerRecord<byte[], byte[]>> records) {
            JsonConverter converter = new JsonConverter();
            converter.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), false);
            Map<Integer, Long> maxTimePerPartition = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                Struct value = (Struct) converter.toConnectData(record.topic(), record.value()).value();
                String status = value.getString(OrderEventSchema.STATUS);
                byStatus.merge(status, 1, Integer::sum);
                if ("COMPLETED".equals(status)) {
                    completedRevenue.merge(value.getString(OrderEventSchema.CURRENCY),
                            (BigDecimal) value.get(OrderEventSchema.AMOUNT), BigDecimal::add);
                }
                lifecycles.computeIfAbsent(value.getString(OrderEventSchema.ORDER_ID), k -> new ArrayList<>()).add(status);
                long max = maxTimePerPartition.getOrDefault(record.partition(), record.timestamp());
                maxLatenessMs = Math.max(maxLatenessMs, max - record.timestamp());
                if (max - record.timestamp() > WATERMARK_LAG_MS) {
                    behindWatermark++;
                }
                maxTimePerPartition.put(record.partition(), Math.max(max, record.timestamp()));
                if (samples.size() < 3) {
                    samples.add(new String(record.key(), StandardCharsets.UTF_8) + " -> " + value);
                }
            }
        }

        void print(int expected, double seconds) {
            System.out.println();
            System.out.printf("read %,d events of %,d orders in %.1f s (expected %,d events from the generator)%n",
                    lifecycles.values().stream().mapToInt(List::size).sum(), lifecycles.size(), seconds, expected);
            System.out.println("events by status:         " + byStatus);
            System.out.println("completed revenue:        " + completedRevenue);
            System.out.printf("late events: %d more than %d s behind their partition's newest event time (max %.1f s)%n",
                    behindWatermark, WATERMARK_LAG_MS / 1000, maxLatenessMs / 1000.0);
            long invalid = lifecycles.values().stream().filter(l -> !l.get(0).equals("CREATED")).count();
            System.out.println("orders not starting with CREATED: " + invalid);
            System.out.println("sample records:");
            samples.forEach(s -> System.out.println("  " + s));
        }
    }
}
