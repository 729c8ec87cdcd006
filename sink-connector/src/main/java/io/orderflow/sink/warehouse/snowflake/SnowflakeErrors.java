package io.orderflow.sink.warehouse.snowflake;

import io.orderflow.sink.warehouse.WarehouseException;

import java.sql.SQLException;

/** Tells Snowflake outages (worth a retry) from refusals: authentication, permissions, SQL or data errors. */
public final class SnowflakeErrors {

    private SnowflakeErrors() {
    }

    static WarehouseException translate(String what, SQLException e) {
        return new WarehouseException(what + " (SQLSTATE " + e.getSQLState() + ", error " + e.getErrorCode() + "): "
                + e.getMessage(), e, retriable(e));
    }

    /**
     * Connection failures (SQLSTATE 08; snowflake-jdbc 3.28 reports an unreachable host as 58030, error 200015),
     * operator intervention and resource limits (57, 53), transaction conflicts (40) may pass. Authentication (28, and Snowflake's 390xxx codes), privileges and SQL errors (42)
     * and data errors (22) will not.
     */
    public static boolean retriable(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        int code = e.getErrorCode();
        if (state.startsWith("28") || (code >= 390_000 && code < 391_000)) {
            return false;
        }
        return state.startsWith("08") || state.startsWith("58") || state.startsWith("57") || state.startsWith("53") || state.startsWith("40");
    }
}
