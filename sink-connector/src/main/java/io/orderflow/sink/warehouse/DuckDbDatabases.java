package io.orderflow.sink.warehouse;

import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One DuckDB database instance per file in this JVM. DuckDB lets a single process write a database file, so
 * every task of a worker (and a test reading back) shares one instance through duplicated connections. The
 * instance lives as long as the JVM.
 */
public final class DuckDbDatabases {

    private static final Map<String, DuckDBConnection> ROOTS = new HashMap<>();

    private DuckDbDatabases() {
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
