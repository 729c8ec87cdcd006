package io.orderflow.sink.aggregate.summary;

import io.orderflow.sink.warehouse.SqlQuoting;
import io.orderflow.sink.warehouse.snowflake.SnowflakeSql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Snowflake: deltas go in with {@code MERGE}, and since Snowflake does not enforce primary keys the offsets claim
 * inserts only WHERE NOT EXISTS. DML on one table is serialized by Snowflake's table locks within a transaction,
 * which keeps both statements atomic against other tasks. Names are upper-cased and quoted.
 */
final class SnowflakeDialect implements AggregateDialect {

    private static String quote(String name) {
        return SqlQuoting.SNOWFLAKE.identifier(name);
    }

    private static String type(SummaryLayout layout, SummaryLayout.Column column) {
        return switch (column.kind()) {
            case TIMESTAMP -> "TIMESTAMP_TZ";
            case TEXT -> "VARCHAR";
            case COUNT -> "NUMBER(38, 0)";
            case DECIMAL, MIN, MAX -> "NUMBER(38, " + layout.scale() + ")";
            case AVERAGE -> "NUMBER(38, " + SummaryLayout.AVG_SCALE + ")";
        };
    }

    @Override
    public String createSummary(SummaryLayout layout) {
        List<String> keys = layout.keyColumns();
        return "CREATE TABLE IF NOT EXISTS " + SnowflakeSql.name(layout.table()) + " ("
                + layout.tableColumns().stream().map(c -> quote(c.name()) + " " + type(layout, c) + (keys.contains(c.name()) ? " NOT NULL" : ""))
                .collect(Collectors.joining(", "))
                + ", PRIMARY KEY (" + keys.stream().map(SnowflakeDialect::quote).collect(Collectors.joining(", ")) + "))";
    }

    @Override
    public String createOffsets(SummaryLayout layout) {
        return "CREATE TABLE IF NOT EXISTS " + SnowflakeSql.name(layout.offsetsTable()) + " (\"CONNECTOR\" VARCHAR NOT NULL, "
                + "\"TOPIC\" VARCHAR NOT NULL, \"KAFKA_PARTITION\" NUMBER(10, 0) NOT NULL, \"NEXT_OFFSET\" NUMBER(19, 0) NOT NULL, "
                + "\"UPDATED_AT\" TIMESTAMP_TZ, PRIMARY KEY (\"CONNECTOR\", \"TOPIC\", \"KAFKA_PARTITION\"))";
    }

    @Override
    public String listColumns(SummaryLayout layout) {
        List<String> parts = layout.table().parts();
        String schema = parts.size() > 1 ? SnowflakeSql.literal(parts.get(parts.size() - 2).toUpperCase(Locale.ROOT)) : "CURRENT_SCHEMA()";
        String catalog = parts.size() > 2 ? SnowflakeSql.identifier(parts.get(0)) + "." : "";
        return "SELECT LOWER(COLUMN_NAME) FROM " + catalog + "INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = "
                + SnowflakeSql.literal(layout.table().table().toUpperCase(Locale.ROOT)) + " AND TABLE_SCHEMA = " + schema;
    }

    @Override
    public String addColumn(SummaryLayout layout, SummaryLayout.Column column) {
        return "ALTER TABLE " + SnowflakeSql.name(layout.table()) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " "
                + type(layout, column);
    }

    @Override
    public String upsertDelta(SummaryLayout layout) {
        List<SummaryLayout.Column> bound = layout.valueColumns();
        String source = bound.stream()
                .map(c -> (c.kind() == SummaryLayout.Kind.TIMESTAMP ? timestampParameter() : "CAST(? AS " + type(layout, c) + ")")
                        + " AS " + quote(c.name()))
                .collect(Collectors.joining(", "));
        String on = layout.keyColumns().stream().map(k -> "t." + quote(k) + " = d." + quote(k)).collect(Collectors.joining(" AND "));
        List<String> updates = new ArrayList<>();
        for (SummaryLayout.Column column : bound) {
            String stored = "t." + quote(column.name());
            String delta = "d." + quote(column.name());
            switch (column.kind()) {
                case COUNT, DECIMAL -> updates.add(stored + " = COALESCE(" + stored + ", 0) + " + delta);
                // LEAST and GREATEST return NULL if any argument is NULL in Snowflake.
                case MIN -> updates.add(stored + " = LEAST(COALESCE(" + stored + ", " + delta + "), COALESCE(" + delta + ", " + stored + "))");
                case MAX -> updates.add(stored + " = GREATEST(COALESCE(" + stored + ", " + delta + "), COALESCE(" + delta + ", " + stored + "))");
                default -> { }
            }
        }
        List<String> insertColumns = new ArrayList<>(bound.stream().map(c -> quote(c.name())).toList());
        List<String> insertValues = new ArrayList<>(bound.stream().map(c -> "d." + quote(c.name())).toList());
        for (var avg : layout.averages()) {
            updates.add("t." + quote(avg.column()) + " = ROUND((COALESCE(t." + quote(avg.sumColumn()) + ", 0) + d."
                    + quote(avg.sumColumn()) + ") / NULLIF(COALESCE(t." + quote(avg.countColumn()) + ", 0) + d."
                    + quote(avg.countColumn()) + ", 0), " + SummaryLayout.AVG_SCALE + ")");
            insertColumns.add(quote(avg.column()));
            insertValues.add("ROUND(d." + quote(avg.sumColumn()) + " / NULLIF(d." + quote(avg.countColumn()) + ", 0), "
                    + SummaryLayout.AVG_SCALE + ")");
        }
        updates.add("t." + quote(SummaryLayout.UPDATED_AT) + " = CURRENT_TIMESTAMP()");
        insertColumns.add(quote(SummaryLayout.UPDATED_AT));
        insertValues.add("CURRENT_TIMESTAMP()");
        return "MERGE INTO " + SnowflakeSql.name(layout.table()) + " AS t USING (SELECT " + source + ") AS d ON " + on
                + " WHEN MATCHED THEN UPDATE SET " + String.join(", ", updates)
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", insertColumns) + ") VALUES ("
                + String.join(", ", insertValues) + ")";
    }

    @Override
    public String readOffset(SummaryLayout layout) {
        return "SELECT \"NEXT_OFFSET\" FROM " + SnowflakeSql.name(layout.offsetsTable())
                + " WHERE \"CONNECTOR\" = ? AND \"TOPIC\" = ? AND \"KAFKA_PARTITION\" = ?";
    }

    @Override
    public String claimOffset(SummaryLayout layout) {
        String table = SnowflakeSql.name(layout.offsetsTable());
        return "INSERT INTO " + table + " (\"CONNECTOR\", \"TOPIC\", \"KAFKA_PARTITION\", \"NEXT_OFFSET\", \"UPDATED_AT\") "
                + "SELECT c, t, p, o, CURRENT_TIMESTAMP() FROM (SELECT ? AS c, ? AS t, ? AS p, ? AS o) AS claim "
                + "WHERE NOT EXISTS (SELECT 1 FROM " + table + " AS x WHERE x.\"CONNECTOR\" = claim.c "
                + "AND x.\"TOPIC\" = claim.t AND x.\"KAFKA_PARTITION\" = claim.p)";
    }

    @Override
    public String advanceOffset(SummaryLayout layout) {
        return "UPDATE " + SnowflakeSql.name(layout.offsetsTable()) + " SET \"NEXT_OFFSET\" = ?, \"UPDATED_AT\" = CURRENT_TIMESTAMP() "
                + "WHERE \"CONNECTOR\" = ? AND \"TOPIC\" = ? AND \"KAFKA_PARTITION\" = ? AND \"NEXT_OFFSET\" = ?";
    }

    @Override
    public String deleteOffset(SummaryLayout layout) {
        return "DELETE FROM " + SnowflakeSql.name(layout.offsetsTable())
                + " WHERE \"CONNECTOR\" = ? AND \"TOPIC\" = ? AND \"KAFKA_PARTITION\" = ?";
    }

    @Override
    public String deleteConnectorOffsets(SummaryLayout layout) {
        return "DELETE FROM " + SnowflakeSql.name(layout.offsetsTable()) + " WHERE \"CONNECTOR\" = ?";
    }

    @Override
    public String timestampParameter() {
        return "TO_TIMESTAMP_TZ(?)";
    }
}
