package io.orderflow.sink.lake;

import io.orderflow.sink.Version;
import io.orderflow.sink.config.CrossFieldValidation;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes topics as Parquet files to S3 (or a local directory), exactly once under every rotation policy:
 * files are named by their first offset and committed per topic partition with a commit marker, and offsets
 * reach Kafka only from the markers.
 */
public class ParquetS3SinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new LakeSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ParquetS3SinkTask.class;
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
        return LakeSinkConfig.CONFIG_DEF;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        return CrossFieldValidation.apply(super.validate(connectorConfigs), LakeSinkConfig::crossFieldErrors);
    }
}
