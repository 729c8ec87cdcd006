package io.orderflow.sink.aggregate.config;

import io.orderflow.common.config.CrossFieldValidation;
import io.orderflow.common.config.Choices;
import io.orderflow.common.config.FieldError;
import io.orderflow.sink.warehouse.config.WarehouseConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Configuration of {@code WindowAggregateSinkConnector}, from fragments: {@link WindowConfig},
 * {@link SummaryConfig} and the shared {@link WarehouseConfig} (DuckDB by default, table orders_minute_summary).
 */
public final class AggregateSinkConfig extends AbstractConfig {

    public static final ConfigDef CONFIG_DEF = Choices.recommended(WarehouseConfig.addTo(
            SummaryConfig.addTo(WindowConfig.addTo(new ConfigDef())), "duckdb", "orders_minute_summary"));

    private final WindowConfig window = new WindowConfig(this);
    private final SummaryConfig summary = new SummaryConfig(this);
    private final WarehouseConfig warehouse = new WarehouseConfig(this);

    public AggregateSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        CrossFieldValidation.requireNone(crossFieldErrors(values()), values());
    }

    public static List<FieldError> crossFieldErrors(Map<String, ?> parsed) {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) parsed;
        List<FieldError> errors = new ArrayList<>(WarehouseConfig.crossFieldErrors(values, false));
        if ("none".equalsIgnoreCase(String.valueOf(values.get(WarehouseConfig.DIALECT)))) {
            errors.add(new FieldError(WarehouseConfig.DIALECT, "the aggregate sink writes to a warehouse: duckdb, postgresql or snowflake"));
        }
        return errors;
    }

    public WindowConfig window() {
        return window;
    }

    public SummaryConfig summary() {
        return summary;
    }

    public WarehouseConfig warehouse() {
        return warehouse;
    }
}
