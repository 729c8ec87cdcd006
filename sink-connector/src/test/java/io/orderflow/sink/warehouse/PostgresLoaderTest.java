package io.orderflow.sink.warehouse;

import io.orderflow.common.sql.TableName;
import io.apicurio.registry.utils.converter.avro.AvroData;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import io.orderflow.sink.lake.format.LocalParquetFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loads into a real PostgreSQL server (embedded binaries from Maven Central). */
class PostgresLoaderTest {

    private static final Schema V1 = SchemaBuilder.struct().name("io.orderflow.OrderEvent").version(1)
            .field("order_id", Schema.STRING_SCHEMA)
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "18").build())
            .field("event_time", Timestamp.SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Schema V2 = SchemaBuilder.struct().name("io.orderflow.OrderEvent").version(2)
            .field("order_id", Schema.STRING_SCHEMA)
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "18").build())
            .field("event_time", Timestamp.SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("region", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static String url() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    private static PostgresLoader loader(String table, boolean create, boolean evolve) {
        return new PostgresLoader(url(), "postgres", "", TableName.parse(table), create, evolve);
    }

    private Path file(String name, Schema schema, int rows) {
        Path file = dir.resolve(name);
        LakeSinkConfig config = new LakeSinkConfig(Map.of("store.url", "file:///tmp/x"));
        try (LocalParquetFile writer = new LocalParquetFile(file, schema, new AvroData(16), config.file())) {
            for (int i = 0; i < rows; i++) {
                Struct value = new Struct(schema).put("order_id", name + "-" + i).put("amount", new BigDecimal(i + ".10"))
                        .put("event_time", new Date(1_767_225_600_000L + i)).put("note", i % 2 == 0 ? null : "say \"hi\", ok\nbye");
                if (schema.field("region") != null) {
                    value.put("region", "EU");
                }
                writer.write(value);
            }
        }
        return file;
    }

    private static ResultSet query(Statement statement, String sql) throws Exception {
        ResultSet rs = statement.executeQuery(sql);
        rs.next();
        return rs;
    }

    /**
     * Two tasks creating the same table at once: PostgreSQL makes the loser fail (here forced by running the second
     * CREATE after the first), and the loser must retry, not stop its partition as for a refused file.
     */
    @Test
    void losingAConcurrentCreateIsRetriableButARealRefusalIsNot() throws Exception {
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement statement = db.createStatement()) {
            WarehouseErrors.executeDdl(statement, "CREATE TABLE raced (id INTEGER)");
            WarehouseException lost = assertThrows(WarehouseException.class,
                    () -> WarehouseErrors.executeDdl(statement, "CREATE TABLE raced (id INTEGER)"));
            assertTrue(lost.retriable(), lost.getMessage());
            WarehouseErrors.executeDdl(statement, "ALTER TABLE raced ADD COLUMN note TEXT");
            assertTrue(assertThrows(WarehouseException.class,
                    () -> WarehouseErrors.executeDdl(statement, "ALTER TABLE raced ADD COLUMN note TEXT")).retriable());
            assertThrows(java.sql.SQLException.class,
                    () -> WarehouseErrors.executeDdl(statement, "ALTER TABLE raced ADD COLUMN bad NOSUCHTYPE"),
                    "an unknown type is the warehouse refusing, passed on as it is");
        }
    }

    @Test
    void eachFileOnceWithExactValuesAndTypes() throws Exception {
        try (PostgresLoader loader = loader("orders_raw", true, true)) {
            Path file = file("a.parquet", V1, 25_001);
            assertTrue(loader.load("lake/a.parquet", file));
            assertFalse(loader.load("lake/a.parquet", file), "the load history makes a second load a no-op");
        }
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement statement = db.createStatement()) {
            ResultSet totals = query(statement, "SELECT count(*), sum(amount), count(note) FROM orders_raw");
            assertEquals(25_001, totals.getLong(1));
            assertEquals(new BigDecimal("312515000.10"), totals.getBigDecimal(2));
            assertEquals(12_500, totals.getLong(3), "nulls stay null, text with quotes, commas and newlines survives");
            ResultSet one = query(statement, "SELECT note, event_time, pg_typeof(amount)::text, pg_typeof(event_time)::text "
                    + "FROM orders_raw WHERE order_id = 'a.parquet-1'");
            assertEquals("say \"hi\", ok\nbye", one.getString(1));
            assertEquals(1_767_225_600_001L, one.getObject(2, OffsetDateTime.class).toInstant().toEpochMilli());
            assertEquals("numeric", one.getString(3));
            assertEquals("timestamp with time zone", one.getString(4));
            assertEquals(25_001, query(statement, "SELECT row_count FROM _orderflow_load_history WHERE file = 'lake/a.parquet'").getLong(1));
        }
    }

    @Test
    void nestedFieldsBecomeJsonb() throws Exception {
        Schema address = SchemaBuilder.struct().name("Address").field("city", Schema.STRING_SCHEMA).build();
        Schema nested = SchemaBuilder.struct().name("Nested")
                .field("id", Schema.STRING_SCHEMA)
                .field("address", address)
                .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
                .field("attributes", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build())
                .build();
        Path file = dir.resolve("nested.parquet");
        LakeSinkConfig config = new LakeSinkConfig(Map.of("store.url", "file:///tmp/x"));
        try (LocalParquetFile writer = new LocalParquetFile(file, nested, new AvroData(16), config.file())) {
            writer.write(new Struct(nested).put("id", "n1").put("address", new Struct(address).put("city", "Lyon \"Part-Dieu\""))
                    .put("tags", java.util.List.of("a", "b")).put("attributes", Map.of("loyalty", 3L)));
        }
        try (PostgresLoader loader = loader("nested", true, true)) {
            loader.load("nested", file);
        }
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement statement = db.createStatement()) {
            ResultSet rs = query(statement, "SELECT address->>'city', tags->>1, (attributes->>'loyalty')::int, pg_typeof(address)::text FROM nested");
            assertEquals("Lyon \"Part-Dieu\"", rs.getString(1));
            assertEquals("b", rs.getString(2));
            assertEquals(3, rs.getInt(3));
            assertEquals("jsonb", rs.getString(4));
        }
    }

    @Test
    void evolutionAndRefusals() throws Exception {
        try (PostgresLoader loader = loader("evolving", true, true)) {
            loader.load("v1", file("v1.parquet", V1, 2));
            loader.load("v2", file("v2.parquet", V2, 3));
        }
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement statement = db.createStatement()) {
            assertEquals(3, query(statement, "SELECT count(region) FROM evolving").getLong(1));
        }
        try (PostgresLoader noCreate = loader("absent", false, true)) {
            WarehouseException missing = assertThrows(WarehouseException.class, () -> noCreate.load("f", file("f.parquet", V1, 1)));
            assertFalse(missing.retriable());
        }
        try (PostgresLoader wrongPassword = new PostgresLoader(url(), "nobody", "x",
                TableName.parse("t"), true, true)) {
            WarehouseException denied = assertThrows(WarehouseException.class, () -> wrongPassword.load("g", file("g.parquet", V1, 1)));
            assertFalse(denied.retriable(), "authentication failures are not retried forever: " + denied.getMessage());
        }
    }
}
