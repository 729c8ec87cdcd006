package io.orderflow.sink.lake;

import io.orderflow.common.config.FieldError;
import io.orderflow.sink.config.ValidatingSinkConnector;
import io.orderflow.sink.lake.commit.ObjectNames;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import io.orderflow.sink.lake.store.ObjectStore;
import io.orderflow.sink.lake.store.ObjectStores;
import io.orderflow.sink.lake.store.StoreException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;

import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    /**
     * Offsets altered or reset over the REST API while the connector is stopped ({@code PATCH} or {@code DELETE
     * /connectors/NAME/offsets}). A task resumes a partition from its commit marker, whatever the consumer group
     * says, so a change is refused while a marker of it exists under {@code store.url}: it would not take effect, and
     * moving a partition back would name new files after files the lake and the warehouse's load history already
     * hold. Under a new prefix there are no markers, and the group's offsets are all there is to change. A reset
     * looks at every marker under the prefix: the group may hold no offset for a partition that has one.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<TopicPartition, Long> offsets) {
        LakeSinkConfig config = new LakeSinkConfig(connectorConfig);
        ObjectNames names = new ObjectNames(ObjectStores.prefix(config.store()));
        boolean reset = offsets.values().stream().allMatch(Objects::isNull);
        try (ObjectStore store = ObjectStores.open(config.store())) {
            List<String> markers = store.list(names.markers());
            if (!reset) {
                List<String> named = offsets.keySet().stream().map(names::marker).toList();
                markers = markers.stream().filter(named::contains).toList();
            }
            if (!markers.isEmpty()) {
                throw new ConnectException("The lake resumes from its commit markers, not from the consumer group: "
                        + markers.size() + " marker(s) would win over the new offsets, e.g. "
                        + store.url(markers.get(0)) + ". Give the connector a new store.url prefix (PUT its config;"
                        + " the files and markers under the old one stay), then change its offsets.");
            }
        } catch (StoreException e) {
            throw new ConnectException("Cannot look for commit markers under " + config.store().storeUrl()
                    + ": " + e.getMessage(), e);
        }
        return true;
    }

    @Override
    public ConfigDef config() {
        return LakeSinkConfig.CONFIG_DEF;
    }
}
