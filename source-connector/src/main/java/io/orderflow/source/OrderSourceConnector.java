package io.orderflow.source;

import io.orderflow.common.Version;
import io.orderflow.common.config.CrossFieldValidation;
import io.orderflow.source.config.OrderSourceConfig;
import io.orderflow.source.config.OrderSourceTaskConfig;
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
 * state, so the connector supports exactly-once delivery (KIP-618) and offset reset/alter over REST (KIP-875).
 */
public class OrderSourceConnector extends SourceConnector {

    public static final String OVERVIEW_DOC = "Produces order lifecycle events (created, paid, shipped, completed or "
            + "cancelled) as OrderEvent records. The generator is deterministic: the same options give the same records, "
            + "and source offsets hold each task's exact next state, so exactly-once delivery (KIP-618) and offset "
            + "alteration over REST (KIP-875) are supported.";

    private Map<String, String> props;
    private long startMs;
    private long maxOrders;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        OrderSourceConfig config = new OrderSourceConfig(props);
        this.props = Map.copyOf(props);
        this.startMs = config.generator().eventTimeStart().map(Instant::toEpochMilli).orElseGet(System::currentTimeMillis);
        this.maxOrders = config.generator().maxOrders();
    }

    @Override
    public Class<? extends Task> taskClass() {
        return OrderSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        // No point in tasks that would own no order.
        int taskCount = maxOrders > 0 ? (int) Math.min(maxTasks, maxOrders) : maxTasks;
        List<Map<String, String>> configs = new ArrayList<>(taskCount);
        for (int task = 0; task < taskCount; task++) {
            configs.add(OrderSourceTaskConfig.forTask(props, task, taskCount, startMs));
        }
        return configs;
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
        return CrossFieldValidation.apply(super.validate(connectorConfigs), OrderSourceConfig::crossFieldErrors);
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        offsets.forEach(GeneratorOffsets::validate);
        return true;
    }
}
