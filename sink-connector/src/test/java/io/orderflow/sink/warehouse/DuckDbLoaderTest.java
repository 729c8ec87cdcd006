package io.orderflow.sink.warehouse;

import io.orderflow.common.sql.TableName;
import io.apicurio.registry.utils.converter.avro.AvroData;
import io.orderflow.sink.lake.ParquetS3SinkConnector;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import io.orderflow.sink.lake.format.LocalParquetFile;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loads into a real embedded DuckDB database. */
class DuckDbLoaderTest {

    private static final Schema V1 = SchemaBuilder.struct().name("io.orderflow.OrderEvent").version(1)
            .field("order_id", Schema.STRING_SCHEMA)
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "18").build())
            .field("event_time", Timestamp.SCHEMA)
            .build();
    private static final Schema V2 = SchemaBuilder.struct().name("io.orderflow.OrderEvent").version(2)
            .field("order_id", Schema.STRING_SCHEMA)
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "18").build())
            .field("event_time", Timestamp.SCHEMA)
            .field("region", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    @TempDir
    Path dir;

    private Path file(String name, Schema schema, int rows) {
        Path file = dir.resolve(name);
        LakeSinkConfig config = new LakeSinkConfig(Map.of("store.url", "file:///tmp/x"));
        try (LocalParquetFile writer = new LocalParquetFile(file, schema, new AvroData(16), config.file())) {
            for (int i = 0; i < rows; i++) {
                Struct value = new Struct(schema).put("order_id", name + "-" + i).put("amount", new BigDecimal(i + ".10"))
                        .put("event_time", new Date(1_767_225_600_000L + i));
                if (schema.field("region") != null) {
                    value.put("region", "EU");
                }
                writer.write(value);
            }
        }
        return file;
    }

    private static List<Object> query(String database, String sql) throws Exception {
        try (Connection connection = DuckDbDatabases.connect(database);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            List<Object> row = new java.util.ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.add(rs.getObject(i));
            }
            return row;
        }
    }

    @Test
    void eachFileIsLoadedOnceWithItsTypes() throws Exception {
        String database = dir.resolve("wh.duckdb").toString();
        try (DuckDbLoader loader = new DuckDbLoader(database, TableName.parse("main.orders_raw"), true, true)) {
            Path file = file("a.parquet", V1, 5);
            assertTrue(loader.load("lake/a.parquet", file));
            assertFalse(loader.load("lake/a.parquet", file), "the load history makes a second load a no-op");
            assertTrue(loader.load("lake/b.parquet", file("b.parquet", V1, 3)));
        }
        assertEquals(List.of(8L, new BigDecimal("13.80")), query(database, "SELECT count(*), sum(amount) FROM orders_raw"));
        assertEquals(List.of("DECIMAL(18,2)", "TIMESTAMP WITH TIME ZONE"),
                query(database, "SELECT typeof(amount), typeof(event_time) FROM orders_raw LIMIT 1"));
        assertEquals(List.of(2L, 8L), query(database, "SELECT count(*), sum(row_count)::BIGINT FROM _orderflow_load_history"));
    }

    @Test
    void newOptionalFieldsBecomeNullableColumns() throws Exception {
        String database = dir.resolve("evolve.duckdb").toString();
        try (DuckDbLoader loader = new DuckDbLoader(database, TableName.parse("orders"), true, true)) {
            loader.load("v1", file("v1.parquet", V1, 2));
            loader.load("v2", file("v2.parquet", V2, 2));
        }
        assertEquals(List.of(4L, 2L), query(database, "SELECT count(*), count(region) FROM orders"));
    }

    @Test
    void refusalsAreClearAndNotRetried() {
        String database = dir.resolve("strict.duckdb").toString();
        try (DuckDbLoader noCreate = new DuckDbLoader(database, TableName.parse("absent"), false, true)) {
            WarehouseException missing = assertThrows(WarehouseException.class, () -> noCreate.load("f", file("f.parquet", V1, 1)));
            assertFalse(missing.retriable());
            assertTrue(missing.getMessage().contains("\"absent\" does not exist"), missing.getMessage());
        }
        try (DuckDbLoader noEvolve = new DuckDbLoader(database, TableName.parse("fixed"), true, false)) {
            noEvolve.load("v1", file("g.parquet", V1, 1));
            WarehouseException lacking = assertThrows(WarehouseException.class, () -> noEvolve.load("v2", file("h.parquet", V2, 1)));
            assertTrue(lacking.getMessage().contains("[region]"), lacking.getMessage());
        }
    }

    @Test
    void tableNamesAreValidatedAndQuoted() {
        assertEquals("\"db\".\"raw\".\"orders\"", TableName.parse("db.raw.orders").quoted());
        for (String bad : List.of("x; DROP TABLE y", "orders\"", "a.b.c.d", "", "1orders", "my table")) {
            assertThrows(IllegalArgumentException.class, () -> TableName.parse(bad), bad);
        }
        Map<String, String> props = Map.of("store.url", "file:///tmp/x", "warehouse.dialect", "duckdb",
                "warehouse.table", "x; DROP TABLE y");
        Map<String, List<String>> errors = new java.util.HashMap<>();
        for (ConfigValue value : new ParquetS3SinkConnector().validate(props).configValues()) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        assertEquals(java.util.Set.of("warehouse.table", "duckdb.path"), errors.keySet(), errors.toString());
    }
}
