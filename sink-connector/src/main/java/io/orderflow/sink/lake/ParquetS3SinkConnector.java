package io.orderflow.sink.lake;

import io.orderflow.common.config.FieldError;
import io.orderflow.sink.config.ValidatingSinkConnector;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

import java.util.List;
import java.util.Map;

/**
 * Writes topics as Parquet files to S3 (or a local directory), exactly once under every rotation policy:
 * files are named by their first offset and committed per topic partition with a commit marker, and offsets
 * reach Kafka only from the markers.
 */
public class ParquetS3SinkConnector extends ValidatingSinkConnector {

    public static final String OVERVIEW_DOC = "Writes topics as Parquet files to S3 (or a local directory) exactly once, "
            + "committed per topic partition with a commit marker, and optionally loads each committed file into "
            + "DuckDB, PostgreSQL or Snowflake exactly once.";

    @Override
    protected void parse(Map<String, String> props) {
        new LakeSinkConfig(props);
    }

    @Override
    protected List<FieldError> crossFieldErrors(Map<String, Object> parsed) {
        return LakeSinkConfig.crossFieldErrors(parsed);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ParquetS3SinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return LakeSinkConfig.CONFIG_DEF;
    }
}
