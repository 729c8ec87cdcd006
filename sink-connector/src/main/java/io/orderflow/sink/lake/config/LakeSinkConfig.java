package io.orderflow.sink.lake.config;

import io.orderflow.common.config.CrossFieldValidation;
import io.orderflow.common.config.Choices;
import io.orderflow.sink.warehouse.config.WarehouseConfig;
import io.orderflow.common.config.FieldError;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Configuration of {@code ParquetS3SinkConnector}, assembled from focused fragments: {@link StoreConfig},
 * {@link FileConfig}, {@link PartitionConfig}, {@link RotationConfig} and {@link WarehouseConfig}.
 */
public final class LakeSinkConfig extends AbstractConfig {

    public static final ConfigDef CONFIG_DEF = Choices.recommended(LoadConfig.addTo(WarehouseConfig.addTo(
            RotationConfig.addTo(PartitionConfig.addTo(FileConfig.addTo(StoreConfig.addTo(new ConfigDef())))), "none", "orders_raw")));

    private final StoreConfig store = new StoreConfig(this);
    private final FileConfig file = new FileConfig(this);
    private final PartitionConfig partition = new PartitionConfig(this);
    private final RotationConfig rotation = new RotationConfig(this);
    private final WarehouseConfig warehouse = new WarehouseConfig(this);
    private final LoadConfig load = new LoadConfig(this);

    public LakeSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        CrossFieldValidation.requireNone(crossFieldErrors(values()), values());
    }

    public static List<FieldError> crossFieldErrors(Map<String, ?> parsed) {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) parsed;
        List<FieldError> errors = new ArrayList<>(PartitionConfig.crossFieldErrors(values));
        errors.addAll(WarehouseConfig.crossFieldErrors(values, true));
        return errors;
    }

    public StoreConfig store() {
        return store;
    }

    public FileConfig file() {
        return file;
    }

    public PartitionConfig partition() {
        return partition;
    }

    public RotationConfig rotation() {
        return rotation;
    }

    public WarehouseConfig warehouse() {
        return warehouse;
    }

    public LoadConfig load() {
        return load;
    }
}
