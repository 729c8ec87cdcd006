package io.orderflow.sink.aggregate;

import io.orderflow.sink.aggregate.config.AggregateSinkConfig;
import io.orderflow.common.config.FieldError;
import io.orderflow.sink.aggregate.summary.SummaryLayout;
import io.orderflow.sink.aggregate.summary.SummaryTable;
import io.orderflow.sink.config.ConnectorNames;
import io.orderflow.sink.config.ValidatingSinkConnector;
import io.orderflow.sink.warehouse.WarehouseException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;

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

    /**
     * Offsets altered or reset over the REST API while the connector is stopped ({@code PATCH} or {@code DELETE
     * /connectors/NAME/offsets}). Tasks resume from the stored offsets, not the consumer group's, so those change
     * too: a partition given an offset stores it, one given null (a reset) loses its row and starts where the group
     * does. A reset of a group that holds no offsets at all (its topics were deleted, or the group expired) forgets
     * every stored offset of the connector. The summary's windows are left as they are: to count records again, clear
     * the windows they went into as well.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<TopicPartition, Long> offsets) {
        AggregateSinkConfig config = new AggregateSinkConfig(connectorConfig);
        try (SummaryTable table = SummaryTable.open(config.warehouse(), SummaryLayout.of(config),
                ConnectorNames.of(connectorConfig, "window-aggregate"))) {
            table.setOffsets(offsets);
        } catch (WarehouseException e) {
            throw new ConnectException("Cannot change the stored offsets: " + e.getMessage(), e);
        }
        return true;
    }

    @Override
    public ConfigDef config() {
        return AggregateSinkConfig.CONFIG_DEF;
    }
}
