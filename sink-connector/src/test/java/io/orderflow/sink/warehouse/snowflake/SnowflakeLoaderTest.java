package io.orderflow.sink.warehouse.snowflake;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import io.orderflow.sink.lake.format.LocalParquetFile;
import io.orderflow.common.sql.TableName;
import io.orderflow.sink.warehouse.WarehouseException;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import static io.orderflow.sink.warehouse.snowflake.ScriptedJdbc.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loader's decisions against a scripted connection; the SQL itself is pinned by {@link SnowflakeSqlTest}. */
class SnowflakeLoaderTest {

    private static final TableName TABLE = TableName.parse("orders.raw");
    private static final TableName STAGE = TableName.parse("orders.lake_stage");
    private static final String KEY = "lake/orders/orders+0+00000000000000000000.parquet";

    @TempDir
    Path dir;

    private Path file(boolean withRegion) {
        SchemaBuilder builder = SchemaBuilder.struct().name("io.orderflow.OrderEvent")
                .field("order_id", Schema.STRING_SCHEMA)
                .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "18").build());
        if (withRegion) {
            builder.field("region", Schema.OPTIONAL_STRING_SCHEMA);
        }
        Schema schema = builder.build();
        Path file = dir.resolve(withRegion ? "v2.parquet" : "v1.parquet");
        try (LocalParquetFile writer = new LocalParquetFile(file, schema, new AvroData(16),
                new LakeSinkConfig(Map.of("store.url", "file:///tmp/x")).file())) {
            writer.write(new Struct(schema).put("order_id", "o-1").put("amount", new BigDecimal("12.34")));
        }
        return file;
    }

    private static SnowflakeLoader loader(ScriptedJdbc jdbc, boolean autoCreate, boolean autoEvolve) {
        return new SnowflakeLoader(jdbc::connection, TABLE, STAGE, "lake/", autoCreate, autoEvolve);
    }

    private static Object copied(String status) {
        return List.of(row("file", "s3://b/lake/orders/x.parquet", "status", status, "rows_parsed", 1L, "rows_loaded",
                status.equals("LOADED") ? 1L : 0L, "first_error", status.equals("LOADED") ? null : "Numeric value 'x' is not recognized"));
    }

    @Test
    void createsAMissingTableThenCopiesTheFileByItsPathInTheStage() {
        boolean[] created = {false};
        ScriptedJdbc jdbc = new ScriptedJdbc(sql -> {
            if (sql.startsWith("DESCRIBE TABLE")) {
                return created[0] ? List.of(row("name", "ORDER_ID"), row("name", "AMOUNT"))
                        : new SQLException("SQL compilation error: Table 'RAW' does not exist or not authorized.", "42S02", 2003);
            }
            if (sql.startsWith("CREATE TABLE")) {
                created[0] = true;
                return null;
            }
            return copied("LOADED");
        });
        assertTrue(loader(jdbc, true, true).load(KEY, file(false)));
        assertEquals(List.of(
                "DESCRIBE TABLE \"ORDERS\".\"RAW\"",
                "CREATE TABLE IF NOT EXISTS \"ORDERS\".\"RAW\" (\"ORDER_ID\" VARCHAR, \"AMOUNT\" NUMBER(18, 2))",
                "DESCRIBE TABLE \"ORDERS\".\"RAW\"",
                SnowflakeSql.copyInto(TABLE, STAGE, List.of("orders/orders+0+00000000000000000000.parquet"))), jdbc.executed);
    }

    @Test
    void theFilesOfACommitGoInOneCopyOfAtMostAThousand() {
        ScriptedJdbc jdbc = new ScriptedJdbc(sql -> sql.startsWith("DESCRIBE") ? List.of(row("name", "ORDER_ID"), row("name", "AMOUNT"))
                : copied("LOADED"));
        Path file = file(false);
        Map<String, Path> files = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 1_001; i++) {
            files.put(String.format("lake/orders/orders+0+%020d.parquet", i), file);
        }
        loader(jdbc, true, true).loadAll(files);
        List<String> copies = jdbc.executed.stream().filter(sql -> sql.startsWith("COPY")).toList();
        assertEquals(2, copies.size(), "1,001 files: a COPY of 1,000 and a COPY of 1");
        assertTrue(copies.get(0).contains("'orders/orders+0+00000000000000000000.parquet', 'orders/orders+0+00000000000000000001.parquet'"));
        assertTrue(copies.get(1).contains("FILES = ('orders/orders+0+00000000000000001000.parquet')"), copies.get(1));
    }

    @Test
    void aFileSnowflakeLoadedBeforeIsReportedAsSkipped() {
        ScriptedJdbc jdbc = new ScriptedJdbc(sql -> sql.startsWith("DESCRIBE") ? List.of(row("name", "ORDER_ID"), row("name", "AMOUNT"))
                : List.of(row("status", "Copy executed with 0 files processed.")));
        assertFalse(loader(jdbc, true, true).load(KEY, file(false)));
    }

    @Test
    void aRejectedFileFailsWithSnowflakesFirstErrorAndIsNotRetried() {
        ScriptedJdbc jdbc = new ScriptedJdbc(sql -> sql.startsWith("DESCRIBE") ? List.of(row("name", "ORDER_ID"), row("name", "AMOUNT"))
                : copied("LOAD_FAILED"));
        WarehouseException e = assertThrows(WarehouseException.class, () -> loader(jdbc, true, true).load(KEY, file(false)));
        assertFalse(e.retriable());
        assertTrue(e.getMessage().contains("Numeric value 'x' is not recognized"), e.getMessage());
    }

    @Test
    void aNewOptionalFieldAddsAColumnUnlessEvolutionIsOff() {
        ScriptedJdbc jdbc = new ScriptedJdbc(sql -> sql.startsWith("DESCRIBE") ? List.of(row("name", "ORDER_ID"), row("name", "AMOUNT"))
                : sql.startsWith("COPY") ? copied("LOADED") : null);
        assertTrue(loader(jdbc, true, true).load(KEY, file(true)));
        assertTrue(jdbc.executed.contains("ALTER TABLE \"ORDERS\".\"RAW\" ADD COLUMN IF NOT EXISTS \"REGION\" VARCHAR"), jdbc.executed.toString());

        ScriptedJdbc frozen = new ScriptedJdbc(sql -> List.of(row("name", "ORDER_ID"), row("name", "AMOUNT")));
        WarehouseException e = assertThrows(WarehouseException.class, () -> loader(frozen, true, false).load(KEY, file(true)));
        assertTrue(e.getMessage().contains("lacks column region"), e.getMessage());
    }

    @Test
    void aFileOutsideTheStagePrefixIsRefused() {
        ScriptedJdbc jdbc = new ScriptedJdbc(sql -> null);
        WarehouseException e = assertThrows(WarehouseException.class,
                () -> loader(jdbc, true, true).load("other/orders+0+00000000000000000000.parquet", file(false)));
        assertTrue(e.getMessage().contains("snowflake.stage.prefix 'lake/'"), e.getMessage());
        assertTrue(jdbc.executed.isEmpty());
    }

    @Test
    void outagesAreRetriedAndRefusalsAreNot() {
        assertTrue(SnowflakeErrors.retriable(new SQLException("JDBC driver encountered communication error", "08001", 200_001)));
        // What snowflake-jdbc 3.28.0 raised for an account host that does not resolve (run by hand on this machine).
        assertTrue(SnowflakeErrors.retriable(new SQLException("JDBC driver encountered communication error. Message: "
                + "Exception encountered for HTTP request", "58030", 200_015)));
        assertTrue(SnowflakeErrors.retriable(new SQLException("Warehouse is suspended / resuming", "57P03", 0)));
        assertFalse(SnowflakeErrors.retriable(new SQLException("JWT token is invalid", "08001", 390_144)));
        assertFalse(SnowflakeErrors.retriable(new SQLException("Incorrect username or password", "28000", 390_100)));
        assertFalse(SnowflakeErrors.retriable(new SQLException("Insufficient privileges", "42501", 3001)));
    }
}
