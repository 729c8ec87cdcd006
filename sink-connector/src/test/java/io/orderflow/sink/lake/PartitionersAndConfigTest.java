package io.orderflow.sink.lake;

import io.orderflow.sink.lake.commit.CommitMarker;
import io.orderflow.sink.lake.commit.ObjectNames;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import io.orderflow.sink.lake.partition.EventTime;
import io.orderflow.sink.lake.partition.Partitioner;
import io.orderflow.sink.lake.partition.Partitioners;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionersAndConfigTest {

    private static final Schema SCHEMA = SchemaBuilder.struct().name("Order")
            .field("currency", Schema.STRING_SCHEMA)
            .field("region", Schema.OPTIONAL_STRING_SCHEMA)
            .field("event_time", Timestamp.SCHEMA)
            .build();
    private static final long T = Instant.parse("2026-03-29T00:30:00Z").toEpochMilli();

    private static SinkRecord record(String region) {
        Struct value = new Struct(SCHEMA).put("currency", "EUR").put("region", region).put("event_time", new java.util.Date(T));
        return new SinkRecord("orders", 5, Schema.STRING_SCHEMA, "k", SCHEMA, value, 42L, 7L, null);
    }

    private static Partitioner partitioner(String... props) {
        Map<String, String> config = new HashMap<>(Map.of("store.url", "file:///tmp/lake"));
        for (int i = 0; i < props.length; i += 2) {
            config.put(props[i], props[i + 1]);
        }
        return Partitioners.create(new LakeSinkConfig(config).partition(), () -> T + 3_600_000L);
    }

    @Test
    void kafkaFieldAndTimePaths() {
        assertEquals("partition=5", partitioner().path(record("EU"), T));
        assertEquals("currency=EUR/region=EU%2FWest", partitioner("partitioner", "field", "partition.fields", "currency,region")
                .path(record("EU/West"), T), "a slash in a value must not add a level");
        assertEquals("currency=EUR/region=null", partitioner("partitioner", "field", "partition.fields", "currency,region")
                .path(record(null), T));
        assertEquals("dt=2026-03-29/hr=00", partitioner("partitioner", "time").path(record("EU"), T));
        assertEquals("dt=2026-03-29/hr=01", partitioner("partitioner", "time", "partition.time.zone", "Europe/Berlin")
                .path(record("EU"), T));
        assertEquals("dt=2026-03-29/hr=01", partitioner("partitioner", "time", "partition.time.source", "wallclock")
                .path(record("EU"), T));
        assertEquals("year=1970", partitioner("partitioner", "time", "partition.time.source", "record", "path.format", "'year='yyyy")
                .path(record("EU"), T), "the record timestamp (7 ms) rather than the event time");
    }

    @Test
    void dottedPathsReachIntoNestedStructsAndMaps() {
        Schema customer = SchemaBuilder.struct().name("Customer").field("country", Schema.STRING_SCHEMA)
                .field("since", Timestamp.SCHEMA).build();
        Schema order = SchemaBuilder.struct().name("Order").field("customer", customer).build();
        Struct nested = new Struct(order).put("customer", new Struct(customer).put("country", "DE").put("since", new java.util.Date(T)));
        SinkRecord structRecord = new SinkRecord("orders", 5, null, null, order, nested, 42L, 7L, null);
        SinkRecord mapRecord = new SinkRecord("orders", 6, null, null, null, Map.of("customer", Map.of("country", "FR", "since", T)), 43L, 7L, null);
        Partitioner byCountry = partitioner("partitioner", "field", "partition.fields", "customer.country");
        assertEquals("customer.country=DE", byCountry.path(structRecord, T));
        assertEquals("customer.country=FR", byCountry.path(mapRecord, T));
        assertEquals(T, new EventTime("customer.since").of(structRecord));
        assertEquals(T, new EventTime("customer.since").of(mapRecord));
        DataException missing = assertThrows(DataException.class,
                () -> partitioner("partitioner", "field", "partition.fields", "customer.city").path(structRecord, T));
        assertTrue(missing.getMessage().contains("'customer.city'") && missing.getMessage().contains("orders-5@42"), missing.getMessage());
        Partitioner byPartition = partitioner();
        assertEquals("partition=5", byPartition.path(structRecord, T));
        assertEquals("partition=6", byPartition.path(mapRecord, T), "each Kafka partition keeps its own path");
        assertEquals("partition=5", byPartition.path(structRecord, T));
    }

    @Test
    void missingFieldsAndTimesNameTheFieldAndRecord() {
        DataException missing = assertThrows(DataException.class,
                () -> partitioner("partitioner", "field", "partition.fields", "country").path(record("EU"), T));
        assertTrue(missing.getMessage().contains("'country'") && missing.getMessage().contains("orders-5@42"), missing.getMessage());
        DataException badTime = assertThrows(DataException.class, () -> new EventTime("region").of(record("EU")));
        assertTrue(badTime.getMessage().contains("'region'"), badTime.getMessage());
        assertEquals(T, new EventTime("event_time").of(record("EU")));
        assertEquals(7L, new EventTime("").of(record("EU")));
    }

    @Test
    void namesSortByOffsetAndMarkersRoundTrip() {
        ObjectNames names = new ObjectNames("lake/raw");
        TopicPartition tp = new TopicPartition("orders.events", 2);
        assertEquals("lake/raw/orders.events/dt=2026-03-29/orders.events+2+00000000000000000042.parquet",
                names.dataFile(tp, "orders.events/dt=2026-03-29", 42));
        assertEquals("lake/raw/_orderflow/markers/orders.events+2.json", names.marker(tp));
        CommitMarker marker = new CommitMarker("orders.events", 2, 1_000L, List.of("a.parquet", "b.parquet"));
        assertEquals(marker, CommitMarker.fromJson("m", marker.toJson()));
        assertThrows(ConnectException.class, () -> CommitMarker.fromJson("m", "{\"version\":9}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void validateReportsEachBadOption() {
        Map<String, String> props = new HashMap<>();
        props.put("store.url", "s3://A_bucket/x");
        props.put("parquet.compression", "lz5");
        props.put("partitioner", "field");
        props.put("path.format", "'dt=yyyy");
        props.put("s3.part.size.bytes", "1024");
        props.put("local.dir", "spill/here");
        Config result = new ParquetS3SinkConnector().validate(props);
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigValue value : result.configValues()) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        assertEquals(java.util.Set.of("store.url", "parquet.compression", "partition.fields", "path.format", "s3.part.size.bytes",
                        "local.dir"),
                errors.keySet(), errors.toString());
        assertThrows(ConfigException.class, () -> new LakeSinkConfig(Map.of("store.url", "file:relative/dir")));
        assertThrows(ConfigException.class, () -> new LakeSinkConfig(Map.of("store.url", "hdfs://x/y")));
        assertEquals(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")),
                new LakeSinkConfig(Map.of("store.url", "s3://bucket/x")).file().localDir());
        assertEquals(java.nio.file.Path.of("/data/orderflow"),
                new LakeSinkConfig(Map.of("store.url", "s3://bucket/x", "local.dir", "/data/orderflow")).file().localDir());
    }

    @Test
    void secretsAreNotPrinted() {
        LakeSinkConfig config = new LakeSinkConfig(Map.of("store.url", "s3://bucket/x", "s3.secret.access.key", "s3cr3t"));
        assertTrue(!config.toString().contains("s3cr3t"));
        assertEquals("s3cr3t", config.store().s3SecretAccessKey().value());
    }
}
