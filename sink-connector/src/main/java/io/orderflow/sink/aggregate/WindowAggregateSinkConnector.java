package io.orderflow.sink.aggregate;

import io.orderflow.sink.aggregate.config.AggregateSinkConfig;
import io.orderflow.common.config.FieldError;
import io.orderflow.sink.config.ValidatingSinkConnector;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

import java.util.List;
import java.util.Map;

/**
 * Per-window aggregates (count, sum, min, max, avg; optional group-by fields) upserted into a warehouse table,
 * exactly once: each flush adds the task's per-window deltas and stores its consumed offsets in one transaction,
 * and tasks resume from the stored offsets. The default configuration is the per-minute order summary
 * orders_minute_summary(window_start, window_end, total_orders, total_revenue, avg_order_value).
 */
public class WindowAggregateSinkConnector extends ValidatingSinkConnector {

    public static final String OVERVIEW_DOC = "Upserts per-window aggregates (count, sum, min, max, avg; optional "
            + "group-by fields) into a DuckDB, PostgreSQL or Snowflake table exactly once: each flush adds the task's "
            + "per-window deltas and stores its consumed offsets in one transaction, and tasks resume from the stored "
            + "offsets.";

    @Override
    protected void parse(Map<String, String> props) {
        new AggregateSinkConfig(props);
    }

    @Override
    protected List<FieldError> crossFieldErrors(Map<String, Object> parsed) {
        return AggregateSinkConfig.crossFieldErrors(parsed);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return WindowAggregateSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return AggregateSinkConfig.CONFIG_DEF;
    }
}
