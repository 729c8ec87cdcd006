package io.orderflow.sink.aggregate.summary;

import io.orderflow.sink.aggregate.config.AggregateSinkConfig;
import io.orderflow.sink.aggregate.config.AggregateSpec;
import io.orderflow.common.sql.TableName;

import java.util.ArrayList;
import java.util.List;

/**
 * The summary table's shape: key columns (window_start, window_end, group-by columns), then per aggregate its
 * column — an average also keeps its running sum and count in two hidden columns — then updated_at. Values are
 * bound in {@link #valueColumns()} order.
 */
public record SummaryLayout(TableName table, TableName offsetsTable, List<String> groupColumns, List<AggregateSpec> aggregates,
                            int scale) {

    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";
    public static final String UPDATED_AT = "updated_at";
    static final int AVG_SCALE = 6;

    /** The layout a connector's configuration describes: its warehouse.table, group.by, aggregates and scale. */
    public static SummaryLayout of(AggregateSinkConfig config) {
        return of(config.warehouse().table(), config.summary().groupBy(), config.summary().aggregates(),
                config.summary().decimalScale());
    }

    public static SummaryLayout of(TableName table, List<String> groupBy, List<AggregateSpec> aggregates, int scale) {
        List<String> parts = new ArrayList<>(table.parts());
        parts.set(parts.size() - 1, "_orderflow_aggregate_offsets");
        return new SummaryLayout(table, new TableName(List.copyOf(parts)),
                groupBy.stream().map(f -> f.replace('.', '_')).toList(), aggregates, scale);
    }

    public List<String> keyColumns() {
        List<String> keys = new ArrayList<>(List.of(WINDOW_START, WINDOW_END));
        keys.addAll(groupColumns);
        return keys;
    }

    /** Kinds of stored value, which decide the SQL type and how deltas combine. */
    enum Kind { TIMESTAMP, TEXT, COUNT, DECIMAL, MIN, MAX, AVERAGE }

    record Column(String name, Kind kind) {
    }

    /** The bound columns: keys, then per aggregate its delta (an average: its hidden sum and count). */
    List<Column> valueColumns() {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column(WINDOW_START, Kind.TIMESTAMP));
        columns.add(new Column(WINDOW_END, Kind.TIMESTAMP));
        groupColumns.forEach(g -> columns.add(new Column(g, Kind.TEXT)));
        for (AggregateSpec spec : aggregates) {
            switch (spec.function()) {
                case COUNT -> columns.add(new Column(spec.column(), Kind.COUNT));
                case SUM -> columns.add(new Column(spec.column(), Kind.DECIMAL));
                case MIN -> columns.add(new Column(spec.column(), Kind.MIN));
                case MAX -> columns.add(new Column(spec.column(), Kind.MAX));
                case AVG -> {
                    columns.add(new Column(spec.sumColumn(), Kind.DECIMAL));
                    columns.add(new Column(spec.countColumn(), Kind.COUNT));
                }
            }
        }
        return columns;
    }

    /** Every column of the table, with the averages themselves (computed, never bound) and updated_at. */
    List<Column> tableColumns() {
        List<Column> columns = new ArrayList<>(valueColumns());
        for (AggregateSpec spec : aggregates) {
            if (spec.function() == AggregateSpec.Function.AVG) {
                columns.add(new Column(spec.column(), Kind.AVERAGE));
            }
        }
        columns.add(new Column(UPDATED_AT, Kind.TIMESTAMP));
        return columns;
    }

    List<AggregateSpec> averages() {
        return aggregates.stream().filter(a -> a.function() == AggregateSpec.Function.AVG).toList();
    }
}
