package io.orderflow.sink.warehouse;

import io.orderflow.sink.warehouse.config.WarehouseConfig.Dialect;
import io.orderflow.sink.warehouse.snowflake.SnowflakeErrors;

import java.sql.SQLException;

/** Tells an outage or a conflict, which a retry can outlast, from a refusal (schema, rights, data), which it cannot. */
public final class WarehouseErrors {

    private WarehouseErrors() {
    }

    public static boolean retriable(Dialect dialect, SQLException e) {
        return switch (dialect) {
            // Connection failures (08), serialization failures and deadlocks (40), shutdowns (57P).
            case POSTGRESQL -> {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                yield state.startsWith("08") || state.startsWith("40") || state.startsWith("57P");
            }
            // Write-write conflicts between transactions, locks and I/O errors.
            case DUCKDB -> {
                String message = String.valueOf(e.getMessage());
                yield message.contains("IO Error") || message.contains("lock") || message.contains("Conflict");
            }
            case SNOWFLAKE -> SnowflakeErrors.retriable(e);
            case NONE -> false;
        };
    }

    public static WarehouseException translate(Dialect dialect, String what, SQLException e) {
        return new WarehouseException(what + " (SQLSTATE " + e.getSQLState() + "): " + e.getMessage(), e, retriable(dialect, e));
    }
}
