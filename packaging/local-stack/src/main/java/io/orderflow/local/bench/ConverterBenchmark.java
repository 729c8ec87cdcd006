package io.orderflow.local.bench;

import io.apicurio.registry.utils.converter.AvroConverter;
import io.orderflow.local.stack.StackProcesses;
import io.orderflow.sink.convert.RegistryOutageConverter;
import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.event.AmountType;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.source.generator.OrderEventStream;
import io.orderflow.testing.SchemaRegistryServer;
import io.orderflow.testing.TempDirectory;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.storage.Converter;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link RegistryOutageConverter} costs a sink's task thread while the registry answers: Apicurio's
 * {@code AvroConverter} reading the generator's order events (Confluent's wire format, Apicurio Registry 3.0.9 as a
 * process), alone and as the delegate of the shipped sinks' converter, alternating on the same bytes, each round timed
 * by this thread's CPU clock.
 *
 * <p>Options: {@code bench.events} (300000), {@code bench.rounds} (8).
 */
public final class ConverterBenchmark {

    private static final String TOPIC = "orders.events";

    private ConverterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("bench.events", 300_000);
        int rounds = Integer.getInteger("bench.rounds", 8);
        Map<String, Double> best = new HashMap<>();
        try (TempDirectory run = TempDirectory.create("orderflow-converter-bench");
             StackProcesses stack = new StackProcesses(StackProcesses.projectRoot(), run.path(), StackProcesses.freePort(), List.of())) {
            SchemaRegistryServer registry = stack.startRegistry();
            List<byte[]> records = avroOrderEvents(registry, events);
            Map<String, String> sink = converterOptions(registry, false);
            AvroConverter direct = new AvroConverter();
            direct.configure(sink, false);
            Map<String, String> wrappedOptions = new HashMap<>(sink);
            wrappedOptions.put(RegistryOutageConverter.DELEGATE_CONFIG, AvroConverter.class.getName());
            RegistryOutageConverter wrapped = new RegistryOutageConverter();
            wrapped.configure(wrappedOptions, false);
            Map<String, Converter> converters = new LinkedHashMap<>();
            converters.put("AvroConverter", direct);
            converters.put("RegistryOutageConverter(AvroConverter)", wrapped);
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            for (int round = 1; round <= rounds; round++) {
                for (Map.Entry<String, Converter> converter : converters.entrySet()) {
                    long start = cpu.getCurrentThreadCpuTime();
                    long checksum = 0;
                    for (byte[] record : records) {
                        checksum += ((Struct) converter.getValue().toConnectData(TOPIC, record).value()).getString("status").length();
                    }
                    double micros = (cpu.getCurrentThreadCpuTime() - start) / 1e3 / records.size();
                    System.out.printf("round %d  %-40s %.3f us/record of CPU  (checksum %d)%n", round, converter.getKey(),
                            micros, checksum);
                    if (round > rounds / 2) {
                        best.merge(converter.getKey(), micros, Math::min);
                    }
                }
            }
        }
        System.out.printf("%nbest of the last %d rounds: %s; wrapped / direct %.3f%n", rounds - rounds / 2, best,
                best.get("RegistryOutageConverter(AvroConverter)") / best.get("AvroConverter"));
    }

    /** The generator's events of seed 42, written as the shipped Avro source writes them (registering the schema). */
    private static List<byte[]> avroOrderEvents(SchemaRegistryServer registry, int events) {
        AvroConverter source = new AvroConverter();
        source.configure(converterOptions(registry, true), false);
        OrderSourceTaskConfig task = new OrderSourceTaskConfig(OrderSourceTaskConfig.forTask(
                Map.of("seed", "42", "max.orders", Integer.toString(events / 3), "event.time.start", "2026-01-01T00:00:00Z"),
                0, 1, 0));
        Schema schema = OrderEventSchema.valueSchema(AmountType.DECIMAL);
        List<byte[]> records = new ArrayList<>(events);
        OrderEventStream stream = OrderEventStream.fromStart(task.freshGeneratorSettings());
        while (stream.hasNext() && records.size() < events) {
            records.add(source.fromConnectData(TOPIC, schema, OrderEventSchema.toStruct(stream.next().event(), schema, AmountType.DECIMAL)));
        }
        return records;
    }

    private static Map<String, String> converterOptions(SchemaRegistryServer registry, boolean register) {
        Map<String, String> options = new HashMap<>();
        registry.avroConverter("value.converter", register).forEach((key, value) -> {
            if (key.startsWith("value.converter.")) {
                options.put(key.substring("value.converter.".length()), value);
            }
        });
        return options;
    }
}
