package io.orderflow.sink.warehouse;

import io.orderflow.sink.warehouse.config.WarehouseConfig.Dialect;
import io.orderflow.sink.warehouse.snowflake.SnowflakeErrors;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

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

    /**
     * SQLSTATEs of a DDL statement that lost a race with the same statement of another task: PostgreSQL's
     * {@code IF NOT EXISTS} is not safe against a concurrent twin, which makes one of two CREATE TABLEs fail on the
     * catalog's unique index (23505 on pg_type) and one of two ADD COLUMNs with duplicate_column.
     */
    private static final Set<String> LOST_DDL_RACE = Set.of("23505", "42P07", "42701", "42710");

    /**
     * Runs a CREATE or ALTER that other tasks may run at the same moment. Losing that race is retriable: the winner
     * made the table or column, so the retried batch finds it.
     */
    public static void executeDdl(Statement statement, String ddl) throws SQLException {
        try {
            statement.execute(ddl);
        } catch (SQLException e) {
            if (e.getSQLState() != null && LOST_DDL_RACE.contains(e.getSQLState())) {
                throw new WarehouseException("Another task changed the same table at the same moment; retrying ("
                        + ddl.substring(0, Math.min(ddl.length(), 80)) + "...): " + e.getMessage(), e, true);
            }
            throw e;
        }
    }

    public static WarehouseException translate(Dialect dialect, String what, SQLException e) {
        return new WarehouseException(what + " (SQLSTATE " + e.getSQLState() + "): " + e.getMessage(), e, retriable(dialect, e));
    }
}
