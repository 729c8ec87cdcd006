package io.orderflow.sink.aggregate.config;

import io.orderflow.common.sql.TableName;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.util.List;

/** What the summary holds (aggregates, group-by fields, decimal scale) and how often deltas are written. */
public final class SummaryConfig {

    static final String GROUP = "Summary";

    static final String AGGREGATES = "aggregates";
    static final String GROUP_BY = "group.by";
    static final String DECIMAL_SCALE = "aggregate.decimal.scale";
    static final String FLUSH_INTERVAL_MS = "flush.interval.ms";

    static final String DEFAULT_AGGREGATES = "total_orders=count,total_revenue=sum(amount),avg_order_value=avg(amount)";

    private final List<AggregateSpec> aggregates;
    private final List<String> groupBy;
    private final int decimalScale;
    private final long flushIntervalMs;

    SummaryConfig(AbstractConfig config) {
        this.aggregates = AggregateSpec.parseAll(config.getList(AGGREGATES));
        this.groupBy = config.getList(GROUP_BY);
        this.decimalScale = config.getInt(DECIMAL_SCALE);
        this.flushIntervalMs = config.getLong(FLUSH_INTERVAL_MS);
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(AGGREGATES, Type.LIST, DEFAULT_AGGREGATES, SummaryConfig::validateAggregates, Importance.HIGH,
                        "Output columns, column=function(field), function count, sum, min, max or avg. The default "
                                + "gives orders_minute_summary: " + DEFAULT_AGGREGATES + ".", GROUP, ++order, Width.LONG,
                        "Aggregates")
                .define(GROUP_BY, Type.LIST, "", SummaryConfig::validateGroupBy, Importance.MEDIUM,
                        "Fields the rows are grouped by besides the window, e.g. currency,region; a missing value "
                                + "groups as the empty string.", GROUP, ++order, Width.MEDIUM, "Group by")
                .define(DECIMAL_SCALE, Type.INT, 2, Range.between(0, 18), Importance.MEDIUM,
                        "Decimal places of sum, min and max columns (DECIMAL(38, scale)). Decimal and integer values "
                                + "add up exactly; a value with more places is a data error; float fields are rounded.",
                        GROUP, ++order, Width.SHORT, "Decimal scale")
                .define(FLUSH_INTERVAL_MS, Type.LONG, 500L, Range.atLeast(10), Importance.HIGH,
                        "How often the task writes its window deltas and offsets, in one transaction: the freshness "
                                + "of the summary.", GROUP, ++order, Width.SHORT, "Flush interval (ms)");
    }

    private static void validateAggregates(String name, Object value) {
        try {
            @SuppressWarnings("unchecked")
            List<String> items = (List<String>) value;
            AggregateSpec.parseAll(items);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    private static void validateGroupBy(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> fields = (List<String>) value;
        for (String field : fields) {
            try {
                TableName.parse(field.replace('.', '_'));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "'" + field + "' is not a field name of letters, digits and underscores");
            }
        }
    }

    public List<AggregateSpec> aggregates() {
        return aggregates;
    }

    public List<String> groupBy() {
        return groupBy;
    }

    public int decimalScale() {
        return decimalScale;
    }

    public long flushIntervalMs() {
        return flushIntervalMs;
    }
}
