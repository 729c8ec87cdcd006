package io.orderflow.sink.warehouse.snowflake;

import io.orderflow.common.sql.TableName;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The exact statements sent to Snowflake, reviewed against its documented grammar: CREATE TABLE, ALTER TABLE ...
 * ADD COLUMN IF NOT EXISTS, COPY INTO &lt;table&gt; FROM @stage FILES = (...) FILE_FORMAT = (TYPE = PARQUET ...)
 * MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE, DESCRIBE STAGE and SYSTEM$PIPE_STATUS.
 */
class SnowflakeSqlTest {

    private static final TableName TABLE = TableName.parse("bronze_db.orders.raw");
    private static final TableName STAGE = TableName.parse("bronze_db.orders.lake_stage");

    private static Schema.Field field(String name, Schema schema) {
        return new Schema.Field(name, schema);
    }

    private static Schema optional(Schema schema) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), schema);
    }

    @Test
    void createTableMapsEveryTypeToNullableColumns() {
        Schema decimal = LogicalTypes.decimal(18, 2).addToSchema(Schema.create(Schema.Type.BYTES));
        Schema timestamp = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        Schema date = LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
        Schema nested = SchemaBuilder.record("Address").fields().requiredString("city").endRecord();
        List<Schema.Field> fields = List.of(
                field("order_id", Schema.create(Schema.Type.STRING)),
                field("amount", decimal),
                field("event_time", timestamp),
                field("order_date", date),
                field("items", Schema.create(Schema.Type.INT)),
                field("seq", Schema.create(Schema.Type.LONG)),
                field("score", Schema.create(Schema.Type.DOUBLE)),
                field("paid", Schema.create(Schema.Type.BOOLEAN)),
                field("raw", Schema.create(Schema.Type.BYTES)),
                field("address", optional(nested)),
                field("tags", Schema.createArray(Schema.create(Schema.Type.STRING))),
                field("region", optional(Schema.create(Schema.Type.STRING))));
        assertEquals("CREATE TABLE IF NOT EXISTS \"BRONZE_DB\".\"ORDERS\".\"RAW\" (\"ORDER_ID\" VARCHAR, "
                        + "\"AMOUNT\" NUMBER(18, 2), \"EVENT_TIME\" TIMESTAMP_TZ, \"ORDER_DATE\" DATE, \"ITEMS\" INTEGER, "
                        + "\"SEQ\" BIGINT, \"SCORE\" FLOAT, \"PAID\" BOOLEAN, \"RAW\" BINARY, \"ADDRESS\" OBJECT, "
                        + "\"TAGS\" ARRAY, \"REGION\" VARCHAR)",
                SnowflakeSql.createTable(TABLE, fields));
    }

    @Test
    void evolutionAddsANullableColumnOnce() {
        assertEquals("ALTER TABLE \"BRONZE_DB\".\"ORDERS\".\"RAW\" ADD COLUMN IF NOT EXISTS \"REGION\" VARCHAR",
                SnowflakeSql.addColumn(TABLE, field("region", optional(Schema.create(Schema.Type.STRING)))));
    }

    @Test
    void copyLoadsOneNamedFileByColumnName() {
        assertEquals("COPY INTO \"BRONZE_DB\".\"ORDERS\".\"RAW\" FROM @\"BRONZE_DB\".\"ORDERS\".\"LAKE_STAGE\" "
                        + "FILES = ('orders/dt=2026-01-01/orders+0+00000000000000000042.parquet') "
                        + "FILE_FORMAT = (TYPE = PARQUET USE_LOGICAL_TYPE = TRUE) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE",
                SnowflakeSql.copyInto(TABLE, STAGE, List.of("orders/dt=2026-01-01/orders+0+00000000000000000042.parquet")));
        assertEquals("COPY INTO \"BRONZE_DB\".\"ORDERS\".\"RAW\" FROM @\"BRONZE_DB\".\"ORDERS\".\"LAKE_STAGE\" "
                        + "FILES = ('orders/orders+0+00000000000000000042.parquet', 'orders/orders+1+00000000000000000007.parquet') "
                        + "FILE_FORMAT = (TYPE = PARQUET USE_LOGICAL_TYPE = TRUE) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE",
                SnowflakeSql.copyInto(TABLE, STAGE, List.of("orders/orders+0+00000000000000000042.parquet",
                        "orders/orders+1+00000000000000000007.parquet")));
    }

    @Test
    void quotesInFileNamesAndIdentifiersCannotEscape() {
        assertEquals("'it''s\\\\x'", SnowflakeSql.literal("it's\\x"));
        assertEquals("\"A\"\"B\"", SnowflakeSql.identifier("a\"b"));
    }

    @Test
    void startUpChecksForSnowpipe() {
        assertEquals("DESCRIBE STAGE \"BRONZE_DB\".\"ORDERS\".\"LAKE_STAGE\"", SnowflakeSql.describeStage(STAGE));
        assertEquals("SELECT SYSTEM$PIPE_STATUS('BRONZE_DB.ORDERS.ORDERS_PIPE')",
                SnowflakeSql.pipeStatus(TableName.parse("bronze_db.orders.orders_pipe")));
        assertEquals("DESCRIBE TABLE \"RAW\"", SnowflakeSql.describeTable(TableName.parse("raw")));
    }

    @Test
    void refusedFilesAreRecordedBesideTheTargetTable() {
        assertEquals("CREATE TABLE IF NOT EXISTS \"BRONZE_DB\".\"ORDERS\".\"_ORDERFLOW_LOAD_FAILURES\" (FILE VARCHAR NOT NULL, "
                + "TARGET VARCHAR NOT NULL, ERROR VARCHAR, FAILED_AT TIMESTAMP_TZ DEFAULT CURRENT_TIMESTAMP())",
                SnowflakeSql.createLoadFailures(TABLE));
        assertEquals("INSERT INTO \"BRONZE_DB\".\"ORDERS\".\"_ORDERFLOW_LOAD_FAILURES\" (FILE, TARGET, ERROR) VALUES "
                + "('orders/a.parquet', '\"BRONZE_DB\".\"ORDERS\".\"RAW\"', 'it''s \\\\ bad')",
                SnowflakeSql.insertLoadFailure(TABLE, "orders/a.parquet", "it's \\ bad"));
    }
}
