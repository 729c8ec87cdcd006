package io.orderflow.sink.aggregate.summary;

import io.orderflow.sink.warehouse.SqlQuoting;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * PostgreSQL and DuckDB: both enforce primary keys and upsert with {@code INSERT ... ON CONFLICT DO UPDATE}, where
 * EXCLUDED is the delta and the target alias the stored row. Names keep their case and are always quoted.
 */
final class StandardSqlDialect implements AggregateDialect {

    private final String textType;

    private StandardSqlDialect(String textType) {
        this.textType = textType;
    }

    static StandardSqlDialect postgresql() {
        return new StandardSqlDialect("TEXT");
    }

    static StandardSqlDialect duckdb() {
        return new StandardSqlDialect("VARCHAR");
    }

    static String quote(String name) {
        return SqlQuoting.STANDARD.identifier(name);
    }

    private String type(SummaryLayout layout, SummaryLayout.Column column) {
        return switch (column.kind()) {
            case TIMESTAMP -> "TIMESTAMPTZ";
            case TEXT -> textType;
            case COUNT -> "BIGINT";
            case DECIMAL, MIN, MAX -> "DECIMAL(38, " + layout.scale() + ")";
            case AVERAGE -> "DECIMAL(38, " + SummaryLayout.AVG_SCALE + ")";
        };
    }

    @Override
    public String createSummary(SummaryLayout layout) {
        List<String> keys = layout.keyColumns();
        String columns = layout.tableColumns().stream()
                .map(c -> quote(c.name()) + " " + type(layout, c) + (keys.contains(c.name()) ? " NOT NULL" : ""))
                .collect(Collectors.joining(", "));
        return "CREATE TABLE IF NOT EXISTS " + layout.table().quoted() + " (" + columns + ", PRIMARY KEY ("
                + keys.stream().map(StandardSqlDialect::quote).collect(Collectors.joining(", ")) + "))";
    }

    @Override
    public String createOffsets(SummaryLayout layout) {
        return "CREATE TABLE IF NOT EXISTS " + layout.offsetsTable().quoted() + " (\"connector\" " + textType + " NOT NULL, "
                + "\"topic\" " + textType + " NOT NULL, \"kafka_partition\" INTEGER NOT NULL, \"next_offset\" BIGINT NOT NULL, "
                + "\"updated_at\" TIMESTAMPTZ, PRIMARY KEY (\"connector\", \"topic\", \"kafka_partition\"))";
    }

    @Override
    public String listColumns(SummaryLayout layout) {
        List<String> parts = layout.table().parts();
        String schema = parts.size() > 1 ? "'" + parts.get(parts.size() - 2) + "'" : "current_schema()";
        return "SELECT column_name FROM information_schema.columns WHERE table_name = '" + layout.table().table()
                + "' AND table_schema = " + schema;
    }

    @Override
    public String addColumn(SummaryLayout layout, SummaryLayout.Column column) {
        return "ALTER TABLE " + layout.table().quoted() + " ADD COLUMN " + quote(column.name()) + " " + type(layout, column);
    }

    @Override
    public String upsertDelta(SummaryLayout layout) {
        List<SummaryLayout.Column> bound = layout.valueColumns();
        String names = bound.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
        String casts = bound.stream().map(c -> cast(layout, c)).collect(Collectors.joining(", "));
        StringBuilder select = new StringBuilder(names);
        StringBuilder insertColumns = new StringBuilder(names);
        for (var avg : layout.averages()) {
            insertColumns.append(", ").append(quote(avg.column()));
            select.append(", ROUND(").append(quote(avg.sumColumn())).append(" / NULLIF(").append(quote(avg.countColumn()))
                    .append(", 0), ").append(SummaryLayout.AVG_SCALE).append(")");
        }
        insertColumns.append(", ").append(quote(SummaryLayout.UPDATED_AT));
        select.append(", now()");
        List<String> updates = new java.util.ArrayList<>();
        for (SummaryLayout.Column column : bound) {
            String stored = "t." + quote(column.name());
            String delta = "EXCLUDED." + quote(column.name());
            switch (column.kind()) {
                case COUNT, DECIMAL -> updates.add(quote(column.name()) + " = COALESCE(" + stored + ", 0) + " + delta);
                case MIN -> updates.add(quote(column.name()) + " = LEAST(" + stored + ", " + delta + ")");
                case MAX -> updates.add(quote(column.name()) + " = GREATEST(" + stored + ", " + delta + ")");
                default -> { }
            }
        }
        for (var avg : layout.averages()) {
            updates.add(quote(avg.column()) + " = ROUND((COALESCE(t." + quote(avg.sumColumn()) + ", 0) + EXCLUDED."
                    + quote(avg.sumColumn()) + ") / NULLIF(COALESCE(t." + quote(avg.countColumn()) + ", 0) + EXCLUDED."
                    + quote(avg.countColumn()) + ", 0), " + SummaryLayout.AVG_SCALE + ")");
        }
        updates.add(quote(SummaryLayout.UPDATED_AT) + " = now()");
        return "INSERT INTO " + layout.table().quoted() + " AS t (" + insertColumns + ") SELECT " + select
                + " FROM (VALUES (" + casts + ")) AS d (" + names + ") ON CONFLICT ("
                + layout.keyColumns().stream().map(StandardSqlDialect::quote).collect(Collectors.joining(", "))
                + ") DO UPDATE SET " + String.join(", ", updates);
    }

    private String cast(SummaryLayout layout, SummaryLayout.Column column) {
        return column.kind() == SummaryLayout.Kind.TIMESTAMP ? timestampParameter() : "CAST(? AS " + type(layout, column) + ")";
    }

    @Override
    public String readOffset(SummaryLayout layout) {
        return "SELECT \"next_offset\" FROM " + layout.offsetsTable().quoted()
                + " WHERE \"connector\" = ? AND \"topic\" = ? AND \"kafka_partition\" = ?";
    }

    @Override
    public String claimOffset(SummaryLayout layout) {
        return "INSERT INTO " + layout.offsetsTable().quoted() + " (\"connector\", \"topic\", \"kafka_partition\", "
                + "\"next_offset\", \"updated_at\") VALUES (?, ?, ?, ?, now()) ON CONFLICT DO NOTHING";
    }

    @Override
    public String advanceOffset(SummaryLayout layout) {
        return "UPDATE " + layout.offsetsTable().quoted() + " SET \"next_offset\" = ?, \"updated_at\" = now() "
                + "WHERE \"connector\" = ? AND \"topic\" = ? AND \"kafka_partition\" = ? AND \"next_offset\" = ?";
    }

    @Override
    public String deleteOffset(SummaryLayout layout) {
        return "DELETE FROM " + layout.offsetsTable().quoted()
                + " WHERE \"connector\" = ? AND \"topic\" = ? AND \"kafka_partition\" = ?";
    }

    @Override
    public String deleteConnectorOffsets(SummaryLayout layout) {
        return "DELETE FROM " + layout.offsetsTable().quoted() + " WHERE \"connector\" = ?";
    }

    @Override
    public String timestampParameter() {
        return "CAST(? AS TIMESTAMPTZ)";
    }

    @Override
    public String toString() {
        return textType.toLowerCase(Locale.ROOT).equals("text") ? "postgresql" : "duckdb";
    }
}
