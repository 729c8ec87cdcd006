package io.orderflow.source;

import io.orderflow.common.Version;
import io.orderflow.common.config.CrossFieldValidation;
import io.orderflow.source.config.OrderSourceConfig;
import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.config.SourceReader;
import io.orderflow.source.jdbc.JdbcDialect;
import io.orderflow.source.jdbc.JdbcOffsets;
import io.orderflow.source.jdbc.JdbcValidation;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Produces order lifecycle events. The embedded default reader is a deterministic generator of synthetic
 * orders: the same options always give the same records, and source offsets hold each task's exact next
 * state. The jdbc reader reads an orders table incrementally, its cursor in the source offsets. Either way the
 * connector supports exactly-once delivery (KIP-618) and offset reset/alter over REST (KIP-875).
 */
public class OrderSourceConnector extends SourceConnector {

    public static final String OVERVIEW_DOC = "Produces order lifecycle events (created, paid, shipped, completed or "
            + "cancelled) as OrderEvent records, from a deterministic generator (reader=generator) or an orders table read "
            + "incrementally over JDBC (reader=jdbc; on PostgreSQL no row is missed even when transactions commit out of "
            + "order). The generator is deterministic: the same options give the same records, "
            + "and source offsets hold each task's exact next state, so exactly-once delivery (KIP-618) and offset "
            + "alteration over REST (KIP-875) are supported.";

    private Map<String, String> props;
    private OrderSourceConfig config;
    private long startMs;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        this.config = new OrderSourceConfig(props);
        this.props = Map.copyOf(props);
        this.startMs = config.generator().eventTimeStart().map(Instant::toEpochMilli).orElseGet(System::currentTimeMillis);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return OrderSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        int taskCount = taskCount(maxTasks);
        List<Map<String, String>> configs = new ArrayList<>(taskCount);
        for (int task = 0; task < taskCount; task++) {
            configs.add(OrderSourceTaskConfig.forTask(props, task, taskCount, startMs));
        }
        return configs;
    }

    private int taskCount(int maxTasks) {
        if (config.jdbc().reader() == SourceReader.JDBC) {
            // Rows are split by a hash of the order id in SQL only PostgreSQL runs; elsewhere one task reads the table.
            return config.jdbc().dialect() == JdbcDialect.POSTGRESQL ? maxTasks : 1;
        }
        long maxOrders = config.generator().maxOrders();
        // No point in tasks that would own no order.
        return maxOrders > 0 ? (int) Math.min(maxTasks, maxOrders) : maxTasks;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return OrderSourceConfig.CONFIG_DEF;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config validated = CrossFieldValidation.apply(super.validate(connectorConfigs), OrderSourceConfig::crossFieldErrors);
        return CrossFieldValidation.apply(validated, values -> JdbcValidation.errors(validated, connectorConfigs));
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        offsets.forEach((partition, offset) -> {
            if (partition != null && JdbcOffsets.JDBC.equals(partition.get(JdbcOffsets.READER))) {
                JdbcOffsets.validate(partition, offset);
            } else {
                GeneratorOffsets.validate(partition, offset);
            }
        });
        return true;
    }
}
