package io.orderflow.sink.aggregate;

import io.orderflow.sink.Version;
import io.orderflow.sink.aggregate.config.AggregateSinkConfig;
import io.orderflow.sink.config.CrossFieldValidation;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per-window aggregates (count, sum, min, max, avg; optional group-by fields) upserted into a warehouse table,
 * exactly once: each flush adds the task's per-window deltas and stores its consumed offsets in one transaction,
 * and tasks resume from the stored offsets. The default configuration is the per-minute order summary
 * orders_minute_summary(window_start, window_end, total_orders, total_revenue, avg_order_value).
 */
public class WindowAggregateSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new AggregateSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return WindowAggregateSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return AggregateSinkConfig.CONFIG_DEF;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        return CrossFieldValidation.apply(super.validate(connectorConfigs), AggregateSinkConfig::crossFieldErrors);
    }
}
