package io.orderflow.local.bench;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;
import io.orderflow.sink.lake.ParquetS3SinkTask;
import io.orderflow.testing.CommittedTopicReader;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.S3ProxyServer;
import io.orderflow.testing.SchemaRegistryServer;
import io.orderflow.testing.TempDirectory;
import io.orderflow.testing.WorkerlessSinkTaskContext;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.Converter;
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
 * Lake sink throughput, one task, from a pre-filled topic into S3Proxy over HTTP, with the topic holding JSON
 * (schema envelope) and, separately, Avro binary through Apicurio's AvroConverter, next to a bare
 * {@code AvroParquetWriter} writing the same records (already converted to Avro) with the same codec and row
 * group size to a local file, in the same run: the library's own limit. Each connector round first runs a
 * {@link CountingSinkConnector} on the same topic and converter: what the worker alone delivers; a second table gives
 * each round by the CPU per record of the two sinks' threads ({@link TaskThreadCpu}). Before the rounds,
 * a breakdown in this JVM: the converter, the task's {@code put}, the encoding thread's work, and the task thread's CPU
 * per record split between the converter and orderflow's code. Then the heap a task retains with 100 partition paths
 * open. Options: {@code bench.events} (default 300000; the Maven goal passes 1000000, as rounds of a second or two
 * vary too much), {@code bench.rounds} (default 3), {@code bench.store=local} (a local directory instead of S3Proxy),
 * {@code bench.receive.buffer.bytes}, {@code bench.max.poll.records}, {@code bench.fetch.bytes} (consumer overrides),
 * {@code bench.jfr} (a JFR recording of the run, see {@link JfrBreakdown}), {@code bench.work.nanos} (busy time per
 * record in the counting sink).
 *
 * <p>Its length is the harness: the rounds, the baseline and the breakdown, in one file so that a reader sees every
 * step a figure in BENCHMARKS.md comes from.
 */
public final class SinkThroughputBenchmark {

    private static final String TOPIC = "bench.orders";
    private static final String BUCKET = "bench-lake";
    /** CPU time of the calling thread: what a breakdown figure counts, whatever else this machine runs. */
    private static final java.lang.management.ThreadMXBean THREAD_CPU = ManagementFactory.getThreadMXBean();
    /** {@code -Dbench.store=local}: the connector writes to a local directory instead of S3Proxy, which shares this JVM. */
    private static final boolean LOCAL_STORE = "local".equals(System.getProperty("bench.store", "s3"));
    /** Every local file and directory of the run (stores, Parquet files), deleted when it ends. */
    private static final TempDirectory WORK = TempDirectory.create("sink-bench-");

    private SinkThroughputBenchmark() {
    }

    /**
     * How the records sit in the topic: JSON with its schema envelope (what the shipped configs use, as no schema
     * registry runs here) or Avro binary through Apicurio's AvroConverter (what a registry-backed pipeline uses).
     */
    private record Encoding(String name, String topic, Map<String, String> valueConverter) {
        Converter converter() {
            Map<String, String> options = new HashMap<>();
            valueConverter.forEach((key, value) -> {
                if (key.startsWith("value.converter.")) {
                    options.put(key.substring("value.converter.".length()), value);
                }
            });
            Converter converter = valueConverter.get("value.converter").endsWith("JsonConverter")
                    ? new JsonConverter() : new io.apicurio.registry.utils.converter.AvroConverter<>();
            converter.configure(options, false);
            return converter;
        }
    }

    private static final Encoding JSON = new Encoding("JSON with schemas", TOPIC, Map.of(
            "value.converter", "org.apache.kafka.connect.json.JsonConverter", "value.converter.decimal.format", "NUMERIC"));
    /** Set once the registry runs: the converter needs its address. */
    private static Encoding AVRO;

    public static void main(String[] args) throws Exception {
        try (WORK) {
            run();
        }
    }

    private static void run() throws Exception {
        int targetEvents = Integer.getInteger("bench.events", 300_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<SinkRecord> records;
        jdk.jfr.Recording profile = startProfile(System.getProperty("bench.jfr", ""));
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(java.nio.file.Path.of("target/registry-logs"));
             S3ProxyServer s3 = S3ProxyServer.start();
             ConnectStack stack = ConnectStack.start("orderflow-sink-bench", 1, Map.of("exactly.once.source.support", "disabled"))) {
            s3.createBucket(BUCKET);
            AVRO = new Encoding("Avro (Apicurio AvroConverter, Apicurio Registry 3.0.9)", TOPIC + ".avro",
                    registry.avroConverter("value.converter", true));
            int events = prefill(stack, JSON, targetEvents);
            int avroEvents = prefill(stack, AVRO, targetEvents);
            if (avroEvents != events) {
                throw new IllegalStateException("The JSON and Avro topics differ: " + events + " vs " + avroEvents + " records");
            }
            Map<Encoding, Double> decodeRates = new java.util.LinkedHashMap<>();
            Map<Encoding, Double> decodeMicros = new java.util.LinkedHashMap<>();
            Map<Encoding, List<SinkRecord>> decodedBy = new java.util.LinkedHashMap<>();
            List<SinkRecord> decoded = null;
            for (Encoding encoding : List.of(AVRO, JSON)) {
                List<ConsumerRecord<byte[], byte[]>> raw = CommittedTopicReader.read(stack.bootstrapServers(), encoding.topic(),
                        events, Duration.ofMinutes(5), Duration.ZERO, n -> { });
                toSinkRecords(raw, encoding);   // warm-up
                long decodeCpu = THREAD_CPU.getCurrentThreadCpuTime();
                long decodeStart = System.nanoTime();
                decoded = toSinkRecords(raw, encoding);
                decodeRates.put(encoding, decoded.size() / ((System.nanoTime() - decodeStart) / 1e9));
                decodeMicros.put(encoding, (THREAD_CPU.getCurrentThreadCpuTime() - decodeCpu) / 1e3 / decoded.size());
                decodedBy.put(encoding, decoded);
                System.out.printf("%,d records, %.1f MB of %s in the topic%n", events,
                        raw.stream().mapToLong(r -> r.value().length).sum() / 1e6, encoding.name());
            }
            records = decoded;
            taskPut(records, s3.sinkOptions(BUCKET, "warmup-put"), 25_000);
            double putRate = taskPut(records, s3.sinkOptions(BUCKET, "put"), 25_000)[0];
            double oneFileRate = taskPut(records, s3.sinkOptions(BUCKET, "put-one-file"), records.size())[0];
            double localPutRate = taskPut(records, freshLocalStore(), 25_000)[0];
            fileEncodingMicros(records);   // warm-up
            double encodingMicros = fileEncodingMicros(records);
            System.out.printf("breakdown, same records: toConnectData %,.0f rec/s (Avro), %,.0f rec/s (JSON); "
                    + "ParquetS3SinkTask.put in-process into S3Proxy %,.0f rec/s (flush.size=25000), %,.0f rec/s "
                    + "(one file, as the bare writer); into a local store %,.0f rec/s (flush.size=25000); "
                    + "the encoding thread's work (LocalParquetFile, files of 25000) %.2f us CPU per record%n",
                    decodeRates.get(AVRO), decodeRates.get(JSON), putRate, oneFileRate, localPutRate, encodingMicros);
            // The task thread's CPU per record: the converter's, and put's own (checks, placement, preparing, handing
            // over; encoding and commits run on the task's other threads). The consumer's share is not counted, so
            // orderflow's share of the task thread is, if anything, overstated.
            for (Encoding encoding : List.of(AVRO, JSON)) {
                List<SinkRecord> values = decodedBy.get(encoding);
                taskPut(values, freshLocalStore(), 25_000);   // warm-up
                double putMicros = taskPut(values, freshLocalStore(), 25_000)[1];
                double converterMicros = decodeMicros.get(encoding);
                System.out.printf("task thread, %s: converter %.2f us CPU per record, put %.2f us: orderflow's share "
                        + "of the task thread %.0f %%%n", encoding.name(), converterMicros, putMicros,
                        100 * putMicros / (putMicros + converterMicros));
            }

            List<String> rows = new ArrayList<>();
            List<String> cpuRows = new ArrayList<>();
            Map<Encoding, List<Double>> ratios = Map.of(JSON, new ArrayList<>(), AVRO, new ArrayList<>());
            bareWriter(records);   // warm-up
            for (int round = 1; round <= rounds; round++) {
                double[] bare = bareWriter(records);
                for (Encoding encoding : List.of(AVRO, JSON)) {
                    String label = "round" + round + "-" + (encoding == AVRO ? "avro" : "json");
                    double[] counting = countingSink(stack, encoding, label, events);
                    double ceiling = counting[0];
                    double[] sink = sinkConnector(stack, s3, encoding, label, events);
                    double ratio = sink[0] / bare[0];
                    ratios.get(encoding).add(ratio);
                    rows.add(String.format("| %d | %s | %,.0f | %.1f | %,.0f (%.2f) | %,.0f | %.1f | %.2f | %.2f |", round, encoding.name(),
                            bare[0], bare[1], ceiling, ceiling / bare[0], sink[0], sink[1], sink[0] / ceiling, ratio));
                    cpuRows.add(threadCpuRow(round, encoding, counting[1], sink));
                }
            }
            System.out.println();
            System.out.println("| round | topic holds | bare AvroParquetWriter rec/s | MB/s Parquet | counting sink in the worker rec/s "
                    + "(/ bare) | ParquetS3Sink (1 task, S3Proxy) rec/s | MB/s Parquet | sink / counting sink | ratio sink / bare |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            rows.forEach(System.out::println);
            System.out.println();
            System.out.println("| round | topic holds | counting sink's task thread us/rec | lake's task thread us/rec | "
                    + "orderflow's share of it | lake encoding thread us/rec | lake commit thread us/rec | "
                    + "lake / counting sink with a core per thread |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            cpuRows.forEach(System.out::println);
            for (Encoding encoding : List.of(AVRO, JSON)) {
                List<Double> sorted = new ArrayList<>(ratios.get(encoding));
                Collections.sort(sorted);
                System.out.printf("median ratio sink / bare writer, %s: %.2f (goal >= 0.70)%n", encoding.name(), sorted.get(sorted.size() / 2));
            }
        }
        if (profile != null) {
            profile.stop();   // written to its destination: JfrBreakdown reads it
            System.out.println("JFR recording written to " + profile.getDestination().toAbsolutePath());
        }
        // Measured with the broker, the worker and S3Proxy stopped, so that their heap does not count.
        retainedHeapWith100Paths(records);
    }

    /**
     * The same round by CPU per record of each thread. With a core for each thread, a sink's rate is set by its
     * busiest thread: the counting sink's is its task thread, the lake's the busiest of its three. Their ratio is
     * what the lake would reach against the counting sink on a machine with a free core per thread; orderflow's
     * share is the lake's task thread less the counting sink's, over the lake's.
     */
    private static String threadCpuRow(int round, Encoding encoding, double countingTaskMicros, double[] sink) {
        double lakeTask = sink[2];
        double busiest = Math.max(lakeTask, Math.max(sink[3], sink[4]));
        return String.format("| %d | %s | %.2f | %.2f | %.0f %% | %.2f | %.2f | %.2f |", round, encoding.name(),
                countingTaskMicros, lakeTask, 100 * (lakeTask - countingTaskMicros) / lakeTask, sink[3], sink[4],
                countingTaskMicros / busiest);
    }

    /** {@code -Dbench.jfr=file}: the whole run recorded with JFR's profile settings, for {@link JfrBreakdown}. */
    private static jdk.jfr.Recording startProfile(String file) throws Exception {
        if (file.isBlank()) {
            return null;
        }
        jdk.jfr.Recording recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        recording.setDestination(Path.of(file));
        recording.start();
        return recording;
    }

    /** Fills the topic with the order source: customers.count=100 gives exactly 100 customer paths later. */
    private static int prefill(ConnectStack stack, Encoding encoding, int targetEvents) throws InterruptedException {
        stack.connect().kafka().createTopic(encoding.topic(), 1, 1, Map.of("retention.ms", "-1"));
        Map<String, String> extra = new HashMap<>(encoding.valueConverter());
        extra.put("customers.count", "100");
        return (int) BenchSource.prefill(stack, encoding.topic(), targetEvents, extra);
    }

    private static List<SinkRecord> toSinkRecords(List<ConsumerRecord<byte[], byte[]>> raw, Encoding encoding) {
        Converter converter = encoding.converter();
        List<SinkRecord> records = new ArrayList<>(raw.size());
        for (ConsumerRecord<byte[], byte[]> record : raw) {
            SchemaAndValue value = converter.toConnectData(record.topic(), record.value());
            records.add(new SinkRecord(TOPIC, record.partition(), null, null, value.schema(), value.value(),
                    record.offset(), record.timestamp(), record.timestampType()));
        }
        return records;
    }

    /** The library's limit: records already in Avro form, written with the sink's codec and row group size. */
    private static double[] bareWriter(List<SinkRecord> records) throws Exception {
        AvroData avroData = lakeAvroData();
        List<GenericRecord> avro = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            avro.add((GenericRecord) avroData.fromConnectData(record.valueSchema(), record.value()));
        }
        Path file = Files.createTempFile(WORK.path(), "bare-writer-", ".parquet");
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

    /** Avro conversion with the lake task's options (its schema cache size aside). */
    private static AvroData lakeAvroData() {
        return new AvroData(new AvroDataConfig.Builder()
                .with(AvroDataConfig.CONNECT_META_DATA_CONFIG, false)
                .with(AvroDataConfig.ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, true).build());
    }

    /**
     * CPU time per record of what a lake task's encoding thread does — prepare, encode and close Parquet files of
     * 25,000 records (the benchmark's flush.size) — on this thread, so that other processes' load does not count.
     */
    private static double fileEncodingMicros(List<SinkRecord> records) throws java.io.IOException {
        var fileConfig = new io.orderflow.sink.lake.config.LakeSinkConfig(Map.of("store.url", "file:///unused")).file();
        AvroData avroData = lakeAvroData();
        Path dir = Files.createTempDirectory(WORK.path(), "file-encoding-");
        long start = THREAD_CPU.getCurrentThreadCpuTime();
        for (int from = 0; from < records.size(); from += 25_000) {
            Path file = dir.resolve(from + ".parquet");
            try (var parquet = new io.orderflow.sink.lake.format.LocalParquetFile(file, records.get(from).valueSchema(),
                    avroData, fileConfig)) {
                for (SinkRecord record : records.subList(from, Math.min(records.size(), from + 25_000))) {
                    parquet.write((org.apache.kafka.connect.data.Struct) record.value());
                }
            }
            Files.delete(file);
        }
        double micros = (THREAD_CPU.getCurrentThreadCpuTime() - start) / 1e3 / records.size();
        Files.delete(dir);
        return micros;
    }

    /** One task on the encoding's topic, with its converter and the consumer settings every worker run shares. */
    private static Map<String, String> workerSinkConfig(Encoding encoding, String connectorClass) {
        Map<String, String> config = new HashMap<>(encoding.valueConverter());
        config.put("connector.class", connectorClass);
        config.put("tasks.max", "1");
        config.put("topics", encoding.topic());
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("consumer.override.max.poll.records", System.getProperty("bench.max.poll.records", "2000"));
        config.put("consumer.override.max.partition.fetch.bytes", System.getProperty("bench.fetch.bytes", "1048576"));
        String receiveBuffer = System.getProperty("bench.receive.buffer.bytes", "");
        if (!receiveBuffer.isEmpty()) {
            config.put("consumer.override.receive.buffer.bytes", receiveBuffer);
        }
        return config;
    }

    /**
     * A sink that only counts, in the same worker, topic and converter: what the worker alone delivers, the ceiling
     * for any sink here.
     */
    private static double[] countingSink(ConnectStack stack, Encoding encoding, String label, int events) throws InterruptedException {
        Map<String, String> config = workerSinkConfig(encoding, CountingSinkConnector.class.getName());
        config.put(CountingSinkConnector.EXPECTED, Integer.toString(events));
        config.put(CountingSinkConnector.WORK_NANOS, System.getProperty("bench.work.nanos", "0"));
        String name = "bench-count-" + label;
        stack.connect().configureConnector(name, config);
        Double rate;
        while ((rate = CountingSinkConnector.rate(name)) == null) {
            Thread.sleep(20);
        }
        stack.connect().deleteConnector(name);
        return new double[] {rate, CountingSinkConnector.taskThreadMicros(name)};
    }

    /**
     * The connector in the worker, timed by its commit markers in the store. Returns records/s, MB/s of Parquet, and
     * the CPU per record (µs) of the task thread, the encoding thread and the commit thread over the same span.
     */
    private static double[] sinkConnector(ConnectStack stack, S3ProxyServer s3, Encoding encoding, String prefix, int events)
            throws Exception {
        Map<String, String> config = workerSinkConfig(encoding, "io.orderflow.sink.lake.ParquetS3SinkConnector");
        config.putAll(s3.sinkOptions(BUCKET, prefix));
        Path localLake = LOCAL_STORE ? Files.createTempDirectory(WORK.path(), "bench-lake-" + prefix + "-") : null;
        if (LOCAL_STORE) {
            config.put("store.url", localLake.toUri().toString());
        }
        config.put("flush.size", "25000");
        config.put("rotate.schedule.interval.ms", "1000");
        String name = "bench-lake-" + prefix;
        String markerKey = prefix + "/_orderflow/markers/" + encoding.topic() + "+0.json";
        stack.connect().configureConnector(name, config);
        // Steady state only: from the first commit marker to the last one written while records were still
        // arriving. The marker covering the final records comes when the wall-clock rotation closes the last,
        // partial file, up to rotate.schedule.interval.ms after the last record: idle time, not throughput.
        long firstNanos = 0;
        long firstOffset = 0;
        long lastNanos = 0;
        long lastOffset = 0;
        TaskThreadCpu threads = null;
        Map<String, Long> firstCpu = null;
        Map<String, Long> lastCpu = null;
        try (var client = s3.client()) {
            for (long offset = 0; offset < events; Thread.sleep(10)) {
                offset = LOCAL_STORE ? localMarkerOffset(localLake.resolve("_orderflow/markers/" + encoding.topic() + "+0.json"))
                        : markerOffset(client, markerKey);
                long now = System.nanoTime();
                if (offset > 0 && firstNanos == 0) {
                    firstNanos = now;
                    firstOffset = offset;
                    threads = TaskThreadCpu.of(name);
                    firstCpu = threads.nanos();
                } else if (offset > lastOffset && offset < events) {
                    lastNanos = now;
                    lastOffset = offset;
                    lastCpu = threads.nanos();
                }
            }
        }
        if (lastOffset <= firstOffset) {
            throw new IllegalStateException("Fewer than two commit markers before the end: raise bench.sink.events");
        }
        stack.connect().deleteConnector(name);
        long parquetBytes = LOCAL_STORE ? localParquetBytes(localLake)
                : s3.objects(BUCKET, prefix + "/" + encoding.topic() + "/").stream().mapToLong(e -> e.getValue().length).sum();
        double seconds = (lastNanos - firstNanos) / 1e9;
        double share = (lastOffset - firstOffset) / (double) events;
        Map<String, Double> cpu = TaskThreadCpu.microsPerRecord(firstCpu, lastCpu, lastOffset - firstOffset);
        return new double[] {(lastOffset - firstOffset) / seconds, parquetBytes * share / 1e6 / seconds,
                cpu.get("task"), cpu.getOrDefault("lake-encoding", 0.0), cpu.getOrDefault("lake-commits", 0.0)};
    }

    private static long localMarkerOffset(Path marker) {
        try {
            return Long.parseLong(Files.readString(marker).replaceAll(".*\"next_offset\":(\\d+).*", "$1"));
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long localParquetBytes(Path lake) throws java.io.IOException {
        try (var files = Files.walk(lake)) {
            return files.filter(f -> f.toString().endsWith(".parquet")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static long markerOffset(software.amazon.awssdk.services.s3.S3Client client, String key) {
        try {
            String json = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
            return Long.parseLong(json.replaceAll(".*\"next_offset\":(\\d+).*", "$1"));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return 0;
        }
    }

    /** A new, empty lake directory: a store with commit markers would make the task skip what they cover. */
    private static Map<String, String> freshLocalStore() throws java.io.IOException {
        return Map.of("store.url", Files.createTempDirectory(WORK.path(), "put-local-").toUri().toString());
    }

    /**
     * The task alone, in this JVM, on records already converted: what the sink's own code costs, up to the end of
     * its last commit (a revocation waits for the commit in flight). Returns records/s, and the calling thread's CPU
     * per record in {@code put} (µs): the task thread's own work, without the encoding and commit threads'.
     */
    private static double[] taskPut(List<SinkRecord> records, Map<String, String> storeOptions, int flushSize) {
        Map<String, String> config = new HashMap<>(storeOptions);
        config.put("flush.size", Integer.toString(flushSize));
        ParquetS3SinkTask task = new ParquetS3SinkTask();
        task.initialize(new WorkerlessSinkTaskContext());
        task.start(config);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        task.open(List.of(tp));
        long start = System.nanoTime();
        long cpuStart = THREAD_CPU.getCurrentThreadCpuTime();
        for (int from = 0; from < records.size(); from += 2_000) {
            task.put(records.subList(from, Math.min(records.size(), from + 2_000)));
        }
        double cpuMicros = (THREAD_CPU.getCurrentThreadCpuTime() - cpuStart) / 1e3 / records.size();
        task.close(List.of(tp));
        double seconds = (System.nanoTime() - start) / 1e9;
        task.stop();
        return new double[] {records.size() / seconds, cpuMicros};
    }

    /**
     * Drives one sink task in this JVM with 100 partition paths (one per customer), no rotation but the memory
     * bound, into a local store, and reports the heap it retains after a full GC, against the heap before it started.
     */
    private static void retainedHeapWith100Paths(List<SinkRecord> records) throws java.io.IOException {
        Map<String, String> config = new HashMap<>();
        config.put("store.url", Files.createTempDirectory(WORK.path(), "heap-lake-").toUri().toString());
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
