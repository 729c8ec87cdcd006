package io.orderflow.sink.warehouse;

import io.orderflow.common.sql.TableName;
import io.orderflow.sink.warehouse.config.WarehouseConfig.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads Parquet files into a DuckDB table with {@code read_parquet}. The table is created from the first file's
 * schema when missing ({@code auto.create}) and gains nullable columns for new fields ({@code auto.evolve}); a
 * file is recorded in {@code _orderflow_load_history} in the same transaction as its rows.
 */
public final class DuckDbLoader implements WarehouseLoader {

    private static final Logger log = LoggerFactory.getLogger(DuckDbLoader.class);
    static final String HISTORY = "\"_orderflow_load_history\"";

    private final Connection connection;
    private final Object writeLock;
    private final TableName table;
    private final boolean autoCreate;
    private final boolean autoEvolve;

    public DuckDbLoader(String databasePath, TableName table, boolean autoCreate, boolean autoEvolve) {
        this.table = table;
        this.autoCreate = autoCreate;
        this.autoEvolve = autoEvolve;
        this.writeLock = DuckDbDatabases.writeLock(databasePath);
        try {
            this.connection = DuckDbDatabases.connect(databasePath);
            synchronized (writeLock) {
                try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + HISTORY + " (file VARCHAR PRIMARY KEY, target VARCHAR NOT NULL, "
                        + "row_count BIGINT NOT NULL, loaded_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
                        + "status VARCHAR NOT NULL DEFAULT 'LOADED', error VARCHAR)");
                }
            }
        } catch (SQLException e) {
            throw new WarehouseException("Cannot open DuckDB database " + databasePath + ": " + e.getMessage(), e, false);
        }
    }

    @Override
    public boolean load(String fileKey, Path localFile) {
        synchronized (writeLock) {
            return loadExclusively(fileKey, localFile);
        }
    }

    private boolean loadExclusively(String fileKey, Path localFile) {
        String source = "read_parquet(" + SqlQuoting.STANDARD.literal(localFile.toAbsolutePath().toString()) + ")";
        try {
            connection.setAutoCommit(false);
            try {
                if (alreadyLoaded(fileKey)) {
                    connection.rollback();
                    return false;
                }
                prepareTable(source);
                long rows;
                try (Statement statement = connection.createStatement()) {
                    rows = statement.executeUpdate("INSERT INTO " + table.quoted() + " BY NAME SELECT * FROM " + source);
                }
                try (PreparedStatement history = connection.prepareStatement(
                        "INSERT INTO " + HISTORY + " (file, target, row_count) VALUES (?, ?, ?)")) {
                    history.setString(1, fileKey);
                    history.setString(2, table.quoted());
                    history.setLong(3, rows);
                    history.executeUpdate();
                }
                connection.commit();
                log.debug("Loaded {} rows of {} into {}", rows, fileKey, table.quoted());
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(fileKey, e);
        }
    }

    @Override
    public void recordFailure(String fileKey, String error) {
        synchronized (writeLock) {
            try (PreparedStatement failed = connection.prepareStatement("INSERT INTO " + HISTORY
                    + " (file, target, row_count, status, error) VALUES (?, ?, 0, 'FAILED', ?) ON CONFLICT DO NOTHING")) {
                failed.setString(1, fileKey);
                failed.setString(2, table.quoted());
                failed.setString(3, error);
                failed.executeUpdate();
            } catch (SQLException e) {
                throw WarehouseErrors.translate(Dialect.DUCKDB, "Cannot record the failed load of " + fileKey, e);
            }
        }
    }

    private boolean alreadyLoaded(String fileKey) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM " + HISTORY + " WHERE file = ?")) {
            query.setString(1, fileKey);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Creates the table from the file's schema, or adds the columns the file has and the table lacks. */
    private void prepareTable(String source) throws SQLException {
        Map<String, String> existing = tableColumns();
        try (Statement statement = connection.createStatement()) {
            if (existing.isEmpty()) {
                if (!autoCreate) {
                    throw new WarehouseException("Table " + table.quoted() + " does not exist and warehouse.auto.create=false",
                            null, false);
                }
                statement.execute("CREATE TABLE " + table.quoted() + " AS SELECT * FROM " + source + " LIMIT 0");
                return;
            }
            Set<String> known = new HashSet<>(existing.keySet());
            try (ResultSet rs = statement.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                Map<String, String> missing = new LinkedHashMap<>();
                while (rs.next()) {
                    String column = rs.getString("column_name");
                    if (!known.contains(column.toLowerCase(Locale.ROOT))) {
                        missing.put(column, rs.getString("column_type"));
                    }
                }
                if (!missing.isEmpty() && !autoEvolve) {
                    throw new WarehouseException("Table " + table.quoted() + " lacks columns " + missing.keySet()
                            + " and warehouse.auto.evolve=false", null, false);
                }
                for (Map.Entry<String, String> column : missing.entrySet()) {
                    try (Statement alter = connection.createStatement()) {
                        alter.execute("ALTER TABLE " + table.quoted() + " ADD COLUMN " + SqlQuoting.STANDARD.identifier(column.getKey()) + " "
                                + column.getValue());
                    }
                    log.info("Added column {} {} to {}", column.getKey(), column.getValue(), table.quoted());
                }
            }
        }
    }

    private Map<String, String> tableColumns() throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?"
                        + (table.parts().size() > 1 ? " AND table_schema = ?" : "") + " ORDER BY ordinal_position")) {
            query.setString(1, table.table());
            if (table.parts().size() > 1) {
                query.setString(2, table.parts().get(table.parts().size() - 2));
            }
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
                }
            }
        }
        return columns;
    }

    private WarehouseException translate(String fileKey, SQLException e) {
        return WarehouseErrors.translate(Dialect.DUCKDB, "Cannot load " + fileKey + " into " + table.quoted(), e);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("Ignoring failure closing a DuckDB connection", e);
        }
    }
}
