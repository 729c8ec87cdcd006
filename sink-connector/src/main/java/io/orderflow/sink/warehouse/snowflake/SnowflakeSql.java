package io.orderflow.sink.warehouse.snowflake;

import io.orderflow.sink.warehouse.ParquetColumns;
import io.orderflow.sink.warehouse.SqlQuoting;
import io.orderflow.common.sql.TableName;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The SQL the Snowflake loader issues, as text, so that unit tests can hold it against Snowflake's documented
 * grammar. Names from configuration are upper-cased and quoted, which resolves them as Snowflake resolves
 * unquoted names while keeping them safe; column names are upper-cased the same way, so analysts query them
 * unquoted, and COPY matches them to the files' lower-case fields with MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE.
 */
public final class SnowflakeSql {

    private SnowflakeSql() {
    }

    public static String name(TableName name) {
        return name.parts().stream().map(SnowflakeSql::identifier).collect(Collectors.joining("."));
    }

    public static String identifier(String part) {
        return SqlQuoting.SNOWFLAKE.identifier(part);
    }

    public static String literal(String text) {
        return SqlQuoting.SNOWFLAKE.literal(text);
    }

    /** The table's columns: fails with "does not exist" when it is missing. */
    static String describeTable(TableName table) {
        return "DESCRIBE TABLE " + name(table);
    }

    static String createTable(TableName table, List<Schema.Field> fields) {
        return "CREATE TABLE IF NOT EXISTS " + name(table) + " ("
                + fields.stream().map(f -> identifier(f.name()) + " " + columnType(f.schema())).collect(Collectors.joining(", "))
                + ")";
    }

    static String addColumn(TableName table, Schema.Field field) {
        return "ALTER TABLE " + name(table) + " ADD COLUMN IF NOT EXISTS " + identifier(field.name()) + " " + columnType(field.schema());
    }

    /**
     * Loads staged files (at most 1,000 per statement). Snowflake keeps each table's load history for 64 days and
     * skips a file it has loaded (same name and checksum), so issuing this again after a crash loads nothing twice.
     */
    static String copyInto(TableName table, TableName stage, List<String> stagedPaths) {
        return "COPY INTO " + name(table) + " FROM @" + name(stage) + " FILES = ("
                + stagedPaths.stream().map(SnowflakeSql::literal).collect(Collectors.joining(", ")) + ")"
                + " FILE_FORMAT = (TYPE = PARQUET USE_LOGICAL_TYPE = TRUE)"
                + " MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE";
    }

    /**
     * Files the table refused for good ({@code warehouse.load.error.policy=record-and-continue}). Snowflake's own
     * load history keeps only what COPY tried, and for 64 days, so the record of a refusal is a table of ours,
     * beside the target table.
     */
    static String createLoadFailures(TableName table) {
        return "CREATE TABLE IF NOT EXISTS " + name(loadFailures(table))
                + " (FILE VARCHAR NOT NULL, TARGET VARCHAR NOT NULL, ERROR VARCHAR, FAILED_AT TIMESTAMP_TZ DEFAULT CURRENT_TIMESTAMP())";
    }

    static String insertLoadFailure(TableName table, String fileKey, String error) {
        return "INSERT INTO " + name(loadFailures(table)) + " (FILE, TARGET, ERROR) VALUES (" + literal(fileKey) + ", "
                + literal(name(table)) + ", " + literal(error) + ")";
    }

    private static TableName loadFailures(TableName table) {
        List<String> parts = new java.util.ArrayList<>(table.parts());
        parts.set(parts.size() - 1, "_ORDERFLOW_LOAD_FAILURES");
        return TableName.parse(String.join(".", parts));
    }

    static String describeStage(TableName stage) {
        return "DESCRIBE STAGE " + name(stage);
    }

    /** JSON with "executionState", "RUNNING" for a working pipe; fails when the pipe does not exist. */
    static String pipeStatus(TableName pipe) {
        String unquoted = pipe.parts().stream().map(p -> p.toUpperCase(Locale.ROOT)).collect(Collectors.joining("."));
        return "SELECT SYSTEM$PIPE_STATUS(" + literal(unquoted) + ")";
    }

    /** Snowflake column type of a file field; columns are nullable, so evolution can always add them. */
    static String columnType(Schema schema) {
        Schema type = ParquetColumns.nonNull(schema);
        LogicalType logical = type.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return "NUMBER(" + decimal.getPrecision() + ", " + decimal.getScale() + ")";
        }
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros) {
            return "TIMESTAMP_TZ";
        }
        if (logical instanceof LogicalTypes.LocalTimestampMillis || logical instanceof LogicalTypes.LocalTimestampMicros) {
            return "TIMESTAMP_NTZ";
        }
        if (logical instanceof LogicalTypes.Date) {
            return "DATE";
        }
        if (logical instanceof LogicalTypes.TimeMillis || logical instanceof LogicalTypes.TimeMicros) {
            return "TIME";
        }
        return switch (type.getType()) {
            case STRING, ENUM -> "VARCHAR";
            case INT -> "INTEGER";
            case LONG -> "BIGINT";
            case FLOAT, DOUBLE -> "FLOAT";
            case BOOLEAN -> "BOOLEAN";
            case BYTES, FIXED -> "BINARY";
            case RECORD, MAP -> "OBJECT";
            case ARRAY -> "ARRAY";
            default -> "VARIANT";
        };
    }
}
