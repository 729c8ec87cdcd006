package io.orderflow.sink.warehouse;

import io.orderflow.sink.warehouse.config.WarehouseConfig.Dialect;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which warehouse errors a retry can outlast: an outage or a conflict is retried (the task raises a retriable
 * error and keeps its data), a refusal is not (it fails the task, or is recorded by the load error policy).
 */
class WarehouseErrorsTest {

    private static SQLException sql(String state, String message) {
        return new SQLException(message, state);
    }

    @Test
    void postgresqlOutagesAndConflictsAreRetriedRefusalsAreNot() {
        assertTrue(WarehouseErrors.retriable(Dialect.POSTGRESQL, sql("08006", "connection failure")));
        assertTrue(WarehouseErrors.retriable(Dialect.POSTGRESQL, sql("40001", "could not serialize access")));
        assertTrue(WarehouseErrors.retriable(Dialect.POSTGRESQL, sql("40P01", "deadlock detected")));
        assertTrue(WarehouseErrors.retriable(Dialect.POSTGRESQL, sql("57P01", "terminating connection due to administrator command")));
        assertFalse(WarehouseErrors.retriable(Dialect.POSTGRESQL, sql("28P01", "password authentication failed")));
        assertFalse(WarehouseErrors.retriable(Dialect.POSTGRESQL, sql("22021", "invalid byte sequence for encoding \"UTF8\": 0x00")));
        assertFalse(WarehouseErrors.retriable(Dialect.POSTGRESQL, sql("42501", "permission denied for table orders_raw")));
        assertFalse(WarehouseErrors.retriable(Dialect.POSTGRESQL, sql(null, "no state")));
    }

    @Test
    void duckdbLocksAndIoErrorsAreRetriedConversionsAreNot() {
        assertTrue(WarehouseErrors.retriable(Dialect.DUCKDB, sql(null, "IO Error: Could not set lock on file")));
        assertTrue(WarehouseErrors.retriable(Dialect.DUCKDB, sql(null, "TransactionContext Error: Conflict on update")));
        assertFalse(WarehouseErrors.retriable(Dialect.DUCKDB, sql(null, "Conversion Error: Could not convert string 'c' to INT32")));
        assertFalse(WarehouseErrors.retriable(Dialect.DUCKDB, sql(null, "Catalog Error: Table with name x does not exist!")));
    }

    @Test
    void snowflakeUnreachableHostsAreRetriedAuthenticationIsNot() {
        assertTrue(WarehouseErrors.retriable(Dialect.SNOWFLAKE, new SQLException("JDBC driver encountered communication error", "58030", 200015)));
        assertFalse(WarehouseErrors.retriable(Dialect.SNOWFLAKE, new SQLException("JWT token is invalid", "08001", 390144)));
        assertFalse(WarehouseErrors.retriable(Dialect.SNOWFLAKE, new SQLException("Insufficient privileges", "42501", 3001)));
    }

    @Test
    void aTranslatedErrorKeepsTheStateAndTheCause() {
        SQLException cause = sql("08006", "connection refused");
        WarehouseException e = WarehouseErrors.translate(Dialect.POSTGRESQL, "Cannot load f into \"orders_raw\"", cause);
        assertTrue(e.retriable());
        assertEquals("Cannot load f into \"orders_raw\" (SQLSTATE 08006): connection refused", e.getMessage());
        assertEquals(cause, e.getCause());
    }
}
