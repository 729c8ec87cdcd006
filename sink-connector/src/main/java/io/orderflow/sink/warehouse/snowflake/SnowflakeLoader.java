package io.orderflow.sink.warehouse.snowflake;

import io.orderflow.sink.warehouse.ParquetColumns;
import io.orderflow.common.sql.TableName;
import io.orderflow.sink.warehouse.WarehouseException;
import io.orderflow.sink.warehouse.WarehouseLoader;
import io.orderflow.sink.warehouse.snowflake.SnowflakeConfig;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Loads committed files into a Snowflake table with COPY INTO from an external stage over the bucket, the files
 * of one commit in one statement. Snowflake's own load history (64 days per table) turns a re-issued COPY of a loaded file into a
 * no-op, which covers the window the lake sink needs: files still pending in a commit marker are re-loaded when
 * the partition is next assigned, minutes later, not months.
 */
public final class SnowflakeLoader implements WarehouseLoader {

    private static final Logger log = LoggerFactory.getLogger(SnowflakeLoader.class);
    static final int MAX_FILES_PER_COPY = 1_000;

    private final Supplier<Connection> connector;
    private final TableName table;
    private final TableName stage;
    private final String stagePrefix;
    private final boolean autoCreate;
    private final boolean autoEvolve;
    private Connection connection;
    private Set<String> columns;

    SnowflakeLoader(Supplier<Connection> connector, TableName table, TableName stage, String stagePrefix,
                    boolean autoCreate, boolean autoEvolve) {
        this.connector = connector;
        this.table = table;
        this.stage = stage;
        this.stagePrefix = stagePrefix;
        this.autoCreate = autoCreate;
        this.autoEvolve = autoEvolve;
    }

    /** A COPY loader; checks that the stage exists, so a wrong name fails the task at start, not at the first file. */
    public static SnowflakeLoader open(SnowflakeConfig config, TableName table, boolean autoCreate, boolean autoEvolve) {
        SnowflakeLoader loader = new SnowflakeLoader(() -> SnowflakeConnections.open(config), table, config.stage(),
                config.stagePrefix(), autoCreate, autoEvolve);
        loader.execute(SnowflakeSql.describeStage(config.stage()), "find stage " + SnowflakeSql.name(config.stage()));
        return loader;
    }

    /**
     * With load mode 'snowpipe' the connector loads nothing: this checks at start-up that the stage exists and
     * that the pipe exists and runs, so a mistyped name or a paused pipe is reported instead of files piling up.
     */
    public static void checkSnowpipe(SnowflakeConfig config) {
        try (Connection connection = SnowflakeConnections.open(config); Statement statement = connection.createStatement()) {
            statement.execute(SnowflakeSql.describeStage(config.stage()));
            try (ResultSet rs = statement.executeQuery(SnowflakeSql.pipeStatus(config.pipe()))) {
                String status = rs.next() ? rs.getString(1) : "";
                if (!status.replace(" ", "").contains("\"executionState\":\"RUNNING\"")) {
                    throw new WarehouseException("Snowpipe " + SnowflakeSql.name(config.pipe()) + " is not running: " + status,
                            null, false);
                }
            }
        } catch (SQLException e) {
            throw SnowflakeErrors.translate("Cannot check stage " + SnowflakeSql.name(config.stage()) + " and pipe "
                    + SnowflakeSql.name(config.pipe()), e);
        }
    }

    @Override
    public boolean load(String fileKey, Path localFile) {
        return copy(Map.of(fileKey, localFile)) > 0;
    }

    /** One COPY per 1,000 files, Snowflake's limit for FILES = (...). */
    @Override
    public void loadAll(Map<String, Path> files) {
        List<Map.Entry<String, Path>> entries = new ArrayList<>(files.entrySet());
        for (int from = 0; from < entries.size(); from += MAX_FILES_PER_COPY) {
            Map<String, Path> chunk = new LinkedHashMap<>();
            entries.subList(from, Math.min(entries.size(), from + MAX_FILES_PER_COPY)).forEach(e -> chunk.put(e.getKey(), e.getValue()));
            copy(chunk);
        }
    }

    /** @return how many of the files Snowflake loaded now (the others it had loaded before) */
    private int copy(Map<String, Path> files) {
        List<String> stagedPaths = new ArrayList<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            if (!file.getKey().startsWith(stagePrefix)) {
                throw new WarehouseException("File " + file.getKey() + " is outside the stage: its key does not start with "
                        + "snowflake.stage.prefix '" + stagePrefix + "'", null, false);
            }
            stagedPaths.add(file.getKey().substring(stagePrefix.length()));
        }
        for (Path local : files.values()) {
            prepareTable(ParquetColumns.read(local));
        }
        String sql = SnowflakeSql.copyInto(table, stage, stagedPaths);
        try (Statement statement = connection().createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return loaded(rs);
        } catch (SQLException e) {
            throw failed("load " + files.keySet() + " into " + SnowflakeSql.name(table), e);
        }
    }

    @Override
    public void recordFailure(String fileKey, String error) {
        execute(SnowflakeSql.createLoadFailures(table), "create the load failures table");
        execute(SnowflakeSql.insertLoadFailure(table, fileKey, error), "record the failed load of " + fileKey);
    }

    /** COPY reports one row per file it processed, or a single status row when every file was loaded before. */
    private static int loaded(ResultSet rs) throws SQLException {
        int loaded = 0;
        while (rs.next()) {
            if (rs.getMetaData().getColumnCount() < 2) {
                continue;   // "Copy executed with 0 files processed."
            }
            String status = rs.getString("status");
            if ("LOADED".equalsIgnoreCase(status)) {
                log.debug("Loaded {} rows of {}", rs.getLong("rows_loaded"), rs.getString("file"));
                loaded++;
            } else {
                throw new WarehouseException("Snowflake did not load " + rs.getString("file") + " (" + status + "): "
                        + rs.getString("first_error"), null, false);
            }
        }
        return loaded;
    }

    private void prepareTable(List<Schema.Field> fields) {
        if (columns == null) {
            columns = existingColumns();
        }
        if (columns.isEmpty()) {
            if (!autoCreate) {
                throw new WarehouseException("Table " + SnowflakeSql.name(table) + " does not exist and "
                        + "warehouse.auto.create=false", null, false);
            }
            execute(SnowflakeSql.createTable(table, fields), "create " + SnowflakeSql.name(table));
            columns = existingColumns();
            return;
        }
        for (Schema.Field field : fields) {
            if (!columns.contains(field.name().toUpperCase(Locale.ROOT))) {
                if (!autoEvolve) {
                    throw new WarehouseException("Table " + SnowflakeSql.name(table) + " lacks column " + field.name()
                            + " and warehouse.auto.evolve=false", null, false);
                }
                execute(SnowflakeSql.addColumn(table, field), "add column " + field.name() + " to " + SnowflakeSql.name(table));
                log.info("Added column {} to {}", field.name(), SnowflakeSql.name(table));
                columns.add(field.name().toUpperCase(Locale.ROOT));
            }
        }
    }

    /** Upper-case column names, or none when the table is missing. */
    private Set<String> existingColumns() {
        Set<String> names = new HashSet<>();
        try (Statement statement = connection().createStatement();
             ResultSet rs = statement.executeQuery(SnowflakeSql.describeTable(table))) {
            while (rs.next()) {
                names.add(rs.getString("name").toUpperCase(Locale.ROOT));
            }
            return names;
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("does not exist")) {
                return names;
            }
            throw failed("describe " + SnowflakeSql.name(table), e);
        }
    }

    private void execute(String sql, String what) {
        try (Statement statement = connection().createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private WarehouseException failed(String what, SQLException e) {
        WarehouseException failure = SnowflakeErrors.translate("Cannot " + what, e);
        if (failure.retriable()) {
            closeConnection();
        }
        return failure;
    }

    private Connection connection() {
        if (connection == null) {
            connection = connector.get();
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Ignoring failure closing a Snowflake session", e);
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeConnection();
    }
}
