package io.orderflow.local.bench;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;
import io.orderflow.sink.lake.ParquetS3SinkTask;
import io.orderflow.testing.CommittedTopicReader;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.S3ProxyServer;
import io.orderflow.testing.WorkerlessSinkTaskContext;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lake sink throughput, one task, from a pre-filled topic into S3Proxy over HTTP, next to a bare
 * {@code AvroParquetWriter} writing the same records (already converted to Avro) with the same codec and row
 * group size to a local file, in the same run: the library's own limit. Then the heap a task retains with
 * 100 partition paths open. Options: {@code bench.events} (default 300000), {@code bench.rounds} (default 3).
 */
public final class SinkThroughputBenchmark {

    private static final String TOPIC = "bench.orders";
    private static final String BUCKET = "bench-lake";

    private SinkThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int targetEvents = Integer.getInteger("bench.events", 300_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<SinkRecord> records;
        try (S3ProxyServer s3 = S3ProxyServer.start();
             ConnectStack stack = ConnectStack.start("orderflow-sink-bench", 1, Map.of("exactly.once.source.support", "disabled"))) {
            s3.createBucket(BUCKET);
            int events = prefill(stack, targetEvents);
            List<ConsumerRecord<byte[], byte[]>> raw = CommittedTopicReader.read(stack.bootstrapServers(), TOPIC, events,
                    Duration.ofMinutes(5), Duration.ZERO, n -> { });
            toSinkRecords(raw);   // warm-up
            long decodeStart = System.nanoTime();
            records = toSinkRecords(raw);
            double decodeRate = records.size() / ((System.nanoTime() - decodeStart) / 1e9);
            long bytesIn = raw.stream().mapToLong(r -> r.value().length).sum();
            System.out.printf("%,d records, %.1f MB of JSON in the topic%n", events, bytesIn / 1e6);
            taskPutRate(records, s3, "warmup-put", 25_000);
            double putRate = taskPutRate(records, s3, "put", 25_000);
            double oneFileRate = taskPutRate(records, s3, "put-one-file", records.size());
            System.out.printf("breakdown, same records: JsonConverter.toConnectData %,.0f rec/s; ParquetS3SinkTask.put "
                    + "in-process into S3Proxy %,.0f rec/s (flush.size=25000), %,.0f rec/s (one file, as the bare writer)%n",
                    decodeRate, putRate, oneFileRate);

            List<String> rows = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            bareWriter(records);   // warm-up
            for (int round = 1; round <= rounds; round++) {
                double[] bare = bareWriter(records);
                double[] sink = sinkConnector(stack, s3, "round" + round, events);
                double ratio = sink[0] / bare[0];
                ratios.add(ratio);
                rows.add(String.format("| %d | %,.0f | %.1f | %,.0f | %.1f | %.2f |", round, bare[0], bare[1], sink[0], sink[1], ratio));
            }
            Collections.sort(ratios);
            System.out.println();
            System.out.println("| round | bare AvroParquetWriter rec/s | MB/s Parquet | ParquetS3Sink (1 task, S3Proxy) rec/s | MB/s Parquet | ratio |");
            System.out.println("|---|---|---|---|---|---|");
            rows.forEach(System.out::println);
            System.out.printf("median ratio sink / bare writer: %.2f (goal >= 0.70)%n", ratios.get(ratios.size() / 2));
        }
        // Measured with the broker, the worker and S3Proxy stopped, so that their heap does not count.
        retainedHeapWith100Paths(records);
    }

    /** Fills the topic with the order source: customers.count=100 gives exactly 100 customer paths later. */
    private static int prefill(ConnectStack stack, int targetEvents) throws InterruptedException {
        stack.connect().kafka().createTopic(TOPIC, 1, 1, Map.of("retention.ms", "-1"));
        return (int) BenchSource.prefill(stack, TOPIC, targetEvents, Map.of("customers.count", "100"));
    }

    private static List<SinkRecord> toSinkRecords(List<ConsumerRecord<byte[], byte[]>> raw) {
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("decimal.format", "NUMERIC"), false);
        List<SinkRecord> records = new ArrayList<>(raw.size());
        for (ConsumerRecord<byte[], byte[]> record : raw) {
            SchemaAndValue value = json.toConnectData(TOPIC, record.value());
            records.add(new SinkRecord(TOPIC, record.partition(), null, null, value.schema(), value.value(),
                    record.offset(), record.timestamp(), record.timestampType()));
        }
        return records;
    }

    /** The library's limit: records already in Avro form, written with the sink's codec and row group size. */
    private static double[] bareWriter(List<SinkRecord> records) throws Exception {
        AvroData avroData = new AvroData(new AvroDataConfig.Builder()
                .with(AvroDataConfig.CONNECT_META_DATA_CONFIG, false)
                .with(AvroDataConfig.ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, true).build());
        List<GenericRecord> avro = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            avro.add((GenericRecord) avroData.fromConnectData(record.valueSchema(), record.value()));
        }
        Path file = Files.createTempFile("bare-writer-", ".parquet");
        long start = System.nanoTime();
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                .withSchema(avroData.fromConnectSchema(records.get(0).valueSchema()))
                .withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(8L * 1024 * 1024)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (GenericRecord record : avro) {
                writer.write(record);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes = Files.size(file);
        Files.delete(file);
        return new double[] {records.size() / seconds, bytes / 1e6 / seconds};
    }

    /** The connector in the worker: time from its first commit marker to the one covering every record. */
    private static double[] sinkConnector(ConnectStack stack, S3ProxyServer s3, String prefix, int events) throws Exception {
        Map<String, String> config = new HashMap<>(s3.sinkOptions(BUCKET, prefix));
        config.put("connector.class", "io.orderflow.sink.lake.ParquetS3SinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", TOPIC);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.decimal.format", "NUMERIC");
        config.put("flush.size", "25000");
        config.put("rotate.schedule.interval.ms", "1000");
        config.put("consumer.override.max.poll.records", System.getProperty("bench.max.poll.records", "2000"));
        config.put("consumer.override.max.partition.fetch.bytes", System.getProperty("bench.fetch.bytes", "1048576"));
        String name = "bench-lake-" + prefix;
        String markerKey = prefix + "/_orderflow/markers/" + TOPIC + "+0.json";
        stack.connect().configureConnector(name, config);
        long firstMarkerNanos = 0;
        long firstOffset = 0;
        long lastNanos;
        try (var client = s3.client()) {
            while (true) {
                long offset = markerOffset(client, markerKey);
                long now = System.nanoTime();
                if (offset > 0 && firstMarkerNanos == 0) {
                    firstMarkerNanos = now;
                    firstOffset = offset;
                }
                if (offset >= events) {
                    lastNanos = now;
                    break;
                }
                Thread.sleep(20);
            }
        }
        stack.connect().deleteConnector(name);
        long parquetBytes = s3.objects(BUCKET, prefix + "/" + TOPIC + "/").stream().mapToLong(e -> e.getValue().length).sum();
        double seconds = (lastNanos - firstMarkerNanos) / 1e9;
        double share = (events - firstOffset) / (double) events;
        return new double[] {(events - firstOffset) / seconds, parquetBytes * share / 1e6 / seconds};
    }

    private static long markerOffset(software.amazon.awssdk.services.s3.S3Client client, String key) {
        try {
            String json = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
            return Long.parseLong(json.replaceAll(".*\"next_offset\":(\\d+).*", "$1"));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return 0;
        }
    }

    /** The task alone, in this JVM, on records already converted: what the sink's own code costs. */
    private static double taskPutRate(List<SinkRecord> records, S3ProxyServer s3, String prefix, int flushSize) {
        Map<String, String> config = new HashMap<>(s3.sinkOptions(BUCKET, prefix));
        config.put("flush.size", Integer.toString(flushSize));
        ParquetS3SinkTask task = new ParquetS3SinkTask();
        task.initialize(new WorkerlessSinkTaskContext());
        task.start(config);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        task.open(List.of(tp));
        long start = System.nanoTime();
        for (int from = 0; from < records.size(); from += 2_000) {
            task.put(records.subList(from, Math.min(records.size(), from + 2_000)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        task.close(List.of(tp));
        task.stop();
        return records.size() / seconds;
    }

    /**
     * Drives one sink task in this JVM with 100 partition paths (one per customer), no rotation but the memory
     * bound, into a local store, and reports the heap it retains after a full GC, against the heap before it started.
     */
    private static void retainedHeapWith100Paths(List<SinkRecord> records) throws java.io.IOException {
        Map<String, String> config = new HashMap<>();
        config.put("store.url", Files.createTempDirectory("heap-lake-").toUri().toString());
        config.put("partitioner", "field");
        config.put("partition.fields", "customer_id");
        config.put("flush.size", "100000000");
        ParquetS3SinkTask task = new ParquetS3SinkTask();
        task.initialize(new WorkerlessSinkTaskContext());
        long before = usedAfterGc();
        task.start(config);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        task.open(List.of(tp));
        long peakSample = 0;
        for (int from = 0; from < records.size(); from += 2_000) {
            task.put(records.subList(from, Math.min(records.size(), from + 2_000)));
            peakSample = Math.max(peakSample, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        long retained = usedAfterGc() - before;
        task.close(List.of(tp));
        task.stop();
        System.out.printf("one task, 100 open partition paths, %,d records buffered: retained heap %.1f MB after GC "
                + "(goal <= 256 MB; max.buffered.bytes.per.task=128 MiB); highest heap sample without GC %.1f MB for the whole JVM%n",
                records.size(), retained / 1e6, peakSample / 1e6);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
