package io.orderflow.sink.warehouse;

import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One DuckDB database instance per file in this JVM. DuckDB lets a single process write a database file, so
 * every task of a worker (and a test reading back) shares one instance through duplicated connections, and
 * writers take turns through {@link #writeLock}. The instance lives as long as the JVM.
 */
public final class DuckDbDatabases {

    private static final Map<String, DuckDBConnection> ROOTS = new HashMap<>();
    private static final Map<String, Object> WRITE_LOCKS = new HashMap<>();

    private DuckDbDatabases() {
    }

    /**
     * The lock every writer of a database holds around its transactions: DuckDB detects concurrent catalog or
     * table changes as write-write conflicts and aborts one, so the tasks of a worker take turns.
     */
    public static synchronized Object writeLock(String path) {
        return WRITE_LOCKS.computeIfAbsent(path, p -> new Object());
    }

    public static synchronized Connection connect(String path) throws SQLException {
        DuckDBConnection root = ROOTS.get(path);
        if (root == null || root.isClosed()) {
            root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + path);
            ROOTS.put(path, root);
        }
        return root.duplicate();
    }
}
