package io.orderflow.sink.convert;

import com.sun.net.httpserver.HttpServer;
import io.apicurio.registry.utils.converter.AvroConverter;
import io.orderflow.common.config.FieldError;
import io.orderflow.sink.convert.RegistryOutageConverter.RegistryOutageError;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RegistryOutageConverter} around Apicurio's {@code AvroConverter} (as shipped) and around a scripted
 * converter, against a registry stand-in that is a real HTTP server answering with a chosen status, or a port nobody
 * listens on. The whole pipeline through a real registry taken off the network is {@code RegistryOutageIT}.
 */
class RegistryOutageConverterTest {

    private static final String TOPIC = "orders.events";
    /** Confluent's wire format: magic byte, schema id 1, an Avro body. */
    private static final byte[] RECORD = {0, 0, 0, 0, 1, 2, 65};

    private final AtomicInteger status = new AtomicInteger(404);
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private HttpServer registry;

    @AfterEach
    void stopRegistry() {
        ScriptedConverter.failure.set(null);
        if (registry != null) {
            registry.stop(0);
        }
    }

    /** A registry stand-in answering every request with {@link #status}. */
    private String registryUrl() throws Exception {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", exchange -> {
            probes.incrementAndGet();
            byte[] body = ("{\"message\":\"HTTP " + status.get() + "\",\"error_code\":" + status.get() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        return "http://127.0.0.1:" + registry.getAddress().getPort() + "/apis/registry/v2";
    }

    private static String nobodyListens() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/apis/registry/v2";
        }
    }

    private RegistryOutageConverter apicurio(String url, long maxWaitMs) {
        Map<String, Object> config = new HashMap<>();
        config.put("delegate", AvroConverter.class.getName());
        config.put("outage.max.wait.ms", Long.toString(maxWaitMs));
        config.put("apicurio.registry.url", url);
        config.put("apicurio.registry.as-confluent", "true");
        config.put("apicurio.registry.use-id", "contentId");
        config.put("apicurio.registry.headers.enabled", "false");
        RegistryOutageConverter converter = new RegistryOutageConverter(now::get);
        converter.configure(config, false);
        return converter;
    }

    @Test
    void aRecordTheDelegateRefusesWhileTheRegistryAnswersFailsAsTheDelegateSays() throws Exception {
        RegistryOutageConverter converter = apicurio(registryUrl(), 60_000);
        // Not Confluent's wire format: the record's own fault.
        RuntimeException notAvro = assertThrows(RuntimeException.class,
                () -> converter.toConnectData(TOPIC, "{\"id\":1}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(notAvro.getMessage().contains("Unknown magic byte"), notAvro.toString());
        // A schema id the registry does not know (it answers 404): the record's too.
        RuntimeException unknownId = assertThrows(RuntimeException.class, () -> converter.toConnectData(TOPIC, RECORD));
        assertTrue(!(unknownId instanceof RetriableException), "an id the registry answers for is no outage: " + unknownId);
        assertTrue(probes.get() >= 2, "the registry was asked");
    }

    @Test
    void aRegistryNobodyAnswersForIsAnOutageTheWorkerRetries() throws Exception {
        RegistryOutageConverter converter = apicurio(nobodyListens(), 60_000);
        RetriableException retriable = assertThrows(RetriableException.class, () -> converter.toConnectData(TOPIC, RECORD));
        assertTrue(retriable.getMessage().contains("does not answer") && retriable.getMessage().contains(TOPIC),
                retriable.getMessage());
        assertTrue(retriable.getMessage().contains("Connection refused") || retriable.getMessage().contains("ConnectException"),
                "what the probe found: " + retriable.getMessage());
    }

    @Test
    void aRegistryAnsweringWithA5xxIsAnOutage() throws Exception {
        status.set(503);
        RegistryOutageConverter converter = apicurio(registryUrl(), 60_000);
        RetriableException retriable = assertThrows(RetriableException.class, () -> converter.toConnectData(TOPIC, RECORD));
        assertTrue(retriable.getMessage().contains("HTTP 503"), retriable.getMessage());
    }

    @Test
    void anOutageLongerThanTheWaitStopsTheTaskWithAnErrorTheWorkerDoesNotTolerate() throws Exception {
        RegistryOutageConverter converter = apicurio(nobodyListens(), 60_000);
        assertThrows(RetriableException.class, () -> converter.toConnectData(TOPIC, RECORD));
        now.addAndGet(59_000_000_000L);
        assertThrows(RetriableException.class, () -> converter.toConnectData(TOPIC, RECORD));
        now.addAndGet(1_000_000_000L);
        RegistryOutageError error = assertThrows(RegistryOutageError.class, () -> converter.toConnectData(TOPIC, RECORD));
        assertInstanceOf(Error.class, error, "Connect tolerates every Exception a converter throws");
        assertTrue(error.getMessage().contains("60000 ms") && error.getMessage().contains("restart"), error.getMessage());
    }

    @Test
    void aWaitOfZeroStopsTheTaskAtOnce() throws Exception {
        RegistryOutageConverter converter = apicurio(nobodyListens(), 0);
        assertThrows(RegistryOutageError.class, () -> converter.toConnectData(TOPIC, RECORD));
    }

    @Test
    void aConvertedRecordEndsTheOutageAndTheNextOneWaitsAnew() throws Exception {
        status.set(503);
        RegistryOutageConverter converter = scripted(registryUrl(), 60_000);
        ScriptedConverter.failure.set(new DataException("registry call failed"));
        assertThrows(RetriableException.class, () -> converter.toConnectData(TOPIC, RECORD));
        now.addAndGet(50_000_000_000L);
        ScriptedConverter.failure.set(null);
        assertEquals(Schema.STRING_SCHEMA, converter.toConnectData(TOPIC, RECORD).schema());
        now.addAndGet(50_000_000_000L);
        ScriptedConverter.failure.set(new DataException("registry call failed"));
        assertThrows(RetriableException.class, () -> converter.toConnectData(TOPIC, RECORD),
                "100 s after the first failure, but only 0 into the new outage");
    }

    @Test
    void whileTheRegistryIsAwayTheRecordsAfterAProbeDoNotAskAgainWithinASecond() throws Exception {
        status.set(503);
        RegistryOutageConverter converter = scripted(registryUrl(), 60_000);
        ScriptedConverter.failure.set(new DataException("registry call failed"));
        for (int i = 0; i < 5; i++) {
            assertThrows(RetriableException.class, () -> converter.toConnectData(TOPIC, RECORD));
        }
        assertEquals(1, probes.get(), "one probe for five records in the same second");
        now.addAndGet(1_000_000_000L);
        status.set(200);
        DataException own = assertThrows(DataException.class, () -> converter.toConnectData(TOPIC, RECORD));
        assertSame(ScriptedConverter.failure.get(), own, "once the registry answers, the failure is the record's");
        assertEquals(2, probes.get());
    }

    @Test
    void theDelegateGetsEveryOtherOptionTheKeyFlagAndBothDirections() throws Exception {
        RegistryOutageConverter converter = new RegistryOutageConverter();
        converter.configure(Map.of("delegate", ScriptedConverter.class.getName(), "outage.max.wait.ms", "1000",
                "schema.registry.url", "http://127.0.0.1:1, http://127.0.0.1:2", "some.option", "x"), true);
        assertEquals(Map.of("schema.registry.url", "http://127.0.0.1:1, http://127.0.0.1:2", "some.option", "x"),
                ScriptedConverter.configured.get());
        assertEquals(Boolean.TRUE, ScriptedConverter.isKey.get());
        ScriptedConverter.failure.set(null);
        assertEquals("v", converter.toConnectData(TOPIC, RECORD).value());
        assertEquals(3, converter.fromConnectData(TOPIC, Schema.STRING_SCHEMA, "abc").length);
    }

    @Test
    void withoutARegistryUrlItSaysWhichOptionToSet() {
        RegistryOutageConverter converter = new RegistryOutageConverter();
        ConfigException missing = assertThrows(ConfigException.class,
                () -> converter.configure(Map.of("delegate", ScriptedConverter.class.getName()), false));
        assertTrue(missing.getMessage().contains("probe.url"), missing.getMessage());
        ConfigException itself = assertThrows(ConfigException.class, () -> converter.configure(Map.of(
                "delegate", RegistryOutageConverter.class.getName(), "probe.url", "http://127.0.0.1:1"), false));
        assertTrue(itself.getMessage().contains("delegate"), itself.getMessage());
    }

    @Test
    void theSinkConnectorsRefuseSettingsUnderWhichTheConverterCannotWait() {
        Map<String, String> shipped = new HashMap<>(Map.of("value.converter", RegistryOutageConverter.class.getName(),
                "value.converter.delegate", AvroConverter.class.getName(), "errors.retry.timeout", "-1",
                "errors.retry.delay.max.ms", "5000"));
        assertEquals(List.of(), OutageWaitChecks.errors(shipped));

        Map<String, String> noRetry = new HashMap<>(shipped);
        noRetry.remove("errors.retry.timeout");
        List<FieldError> errors = OutageWaitChecks.errors(noRetry);
        assertEquals(List.of("errors.retry.timeout"), errors.stream().map(FieldError::name).toList());
        assertTrue(errors.get(0).message().contains("dead letter queue"), errors.get(0).message());

        Map<String, String> defaultDelay = new HashMap<>(shipped);
        defaultDelay.remove("errors.retry.delay.max.ms");
        defaultDelay.put("value.converter.outage.max.wait.ms", "240000");
        errors = OutageWaitChecks.errors(defaultDelay);
        assertEquals(List.of("value.converter.outage.max.wait.ms"), errors.stream().map(FieldError::name).toList());
        assertTrue(errors.get(0).message().contains("max.poll.interval.ms=300000"), errors.get(0).message());
        defaultDelay.put("consumer.override.max.poll.interval.ms", "600000");
        assertEquals(List.of(), OutageWaitChecks.errors(defaultDelay), "a longer poll interval makes room for it");

        assertEquals(List.of(), OutageWaitChecks.errors(Map.of("value.converter", AvroConverter.class.getName())),
                "other converters are not this check's business");
    }

    private RegistryOutageConverter scripted(String url, long maxWaitMs) {
        RegistryOutageConverter converter = new RegistryOutageConverter(now::get);
        converter.configure(Map.of("delegate", ScriptedConverter.class.getName(), "probe.url", url,
                "outage.max.wait.ms", Long.toString(maxWaitMs)), false);
        return converter;
    }

    /** A delegate that fails with {@link #failure} when one is set, and records how it was configured. */
    public static final class ScriptedConverter implements Converter {
        static final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        static final AtomicReference<Map<String, ?>> configured = new AtomicReference<>();
        static final AtomicReference<Boolean> isKey = new AtomicReference<>();

        @Override
        public void configure(Map<String, ?> configs, boolean key) {
            configured.set(Map.copyOf(configs));
            isKey.set(key);
        }

        @Override
        public byte[] fromConnectData(String topic, Schema schema, Object value) {
            throwIfScripted();
            return value.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public SchemaAndValue toConnectData(String topic, byte[] value) {
            throwIfScripted();
            return new SchemaAndValue(Schema.STRING_SCHEMA, "v");
        }

        private static void throwIfScripted() {
            RuntimeException e = failure.get();
            if (e != null) {
                throw e;
            }
        }
    }
}
