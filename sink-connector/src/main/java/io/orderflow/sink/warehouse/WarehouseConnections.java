package io.orderflow.sink.warehouse;

import io.orderflow.sink.warehouse.config.WarehouseConfig;
import io.orderflow.sink.warehouse.snowflake.SnowflakeConnections;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A JDBC connection to the configured warehouse; credentials come from PASSWORD options and are never logged. */
public final class WarehouseConnections {

    private WarehouseConnections() {
    }

    public static Connection open(WarehouseConfig config) throws SQLException {
        return switch (config.dialect()) {
            case DUCKDB -> DuckDbDatabases.connect(config.duckDbPath());
            case POSTGRESQL -> DriverManager.getConnection(config.postgresUrl(), config.postgresUser(),
                    config.postgresPassword().value());
            case SNOWFLAKE -> SnowflakeConnections.open(config.snowflake());
            case NONE -> throw new IllegalStateException("warehouse.dialect=none has no connection");
        };
    }
}
