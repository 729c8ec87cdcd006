package io.orderflow.sink.warehouse;

import io.orderflow.sink.warehouse.snowflake.SnowflakeConfig;
import io.orderflow.sink.warehouse.config.WarehouseConfig;
import io.orderflow.sink.warehouse.snowflake.SnowflakeLoader;

import java.util.Optional;

/** The file loader a lake sink's configuration asks for, if any. */
public final class WarehouseLoaders {

    private WarehouseLoaders() {
    }

    /** Empty when files are not loaded by the connector: dialect 'none', or Snowflake with Snowpipe or no loading. */
    public static Optional<WarehouseLoader> open(WarehouseConfig config) {
        return switch (config.dialect()) {
            case NONE -> Optional.empty();
            case DUCKDB -> Optional.of(new DuckDbLoader(config.duckDbPath(), config.table(), config.autoCreate(), config.autoEvolve()));
            case POSTGRESQL -> Optional.of(new PostgresLoader(config.postgresUrl(), config.postgresUser(),
                    config.postgresPassword().value(), config.table(), config.autoCreate(), config.autoEvolve()));
            case SNOWFLAKE -> snowflake(config);
        };
    }

    private static Optional<WarehouseLoader> snowflake(WarehouseConfig config) {
        SnowflakeConfig snowflake = config.snowflake();
        return switch (snowflake.loadMode()) {
            case NONE -> Optional.empty();
            case SNOWPIPE -> {
                SnowflakeLoader.checkSnowpipe(snowflake);
                yield Optional.empty();
            }
            case COPY -> Optional.of(SnowflakeLoader.open(snowflake, config.table(), config.autoCreate(), config.autoEvolve()));
        };
    }
}
