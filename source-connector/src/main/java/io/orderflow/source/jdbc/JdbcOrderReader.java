package io.orderflow.source.jdbc;

import io.orderflow.common.metrics.PluginInstruments;
import io.orderflow.source.OrderReader;
import io.orderflow.source.SourceMetrics;
import io.orderflow.source.config.CursorConfig;
import io.orderflow.source.config.CursorFence;
import io.orderflow.source.config.JdbcConfig;
import io.orderflow.source.config.OrderSourceTaskConfig;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one task's share of the orders table, a page per poll, in cursor order. The cursor ({@link TableCursor}) is
 * the offset of every record, so with exactly-once source support it commits in the same transaction as the
 * records it covers: a restarted task continues after the last record Kafka holds. Database errors are retried with
 * a doubling backoff and the cursor unmoved; authentication, permission and missing-object errors fail the task.
 */
public final class JdbcOrderReader implements OrderReader {

    private static final Logger log = LoggerFactory.getLogger(JdbcOrderReader.class);

    private final JdbcConfig config;
    private final String topic;
    private final int task;
    private final int tasks;
    private final int batchMaxRecords;
    private final boolean tolerateBadRows;
    private final OrderSourceTaskConfig taskConfig;
    private final OffsetStorageReader offsets;
    private final SourceMetrics metrics;
    private final PluginInstruments.Counter rowsSkipped;
    private final PluginInstruments.Counter databaseErrors;
    private final Idle idle;

    private Map<String, Object> sourcePartition;
    private TableCursor cursor;
    private volatile Connection connection;
    private PageQuery query;
    private RowConverter converter;
    private long backoffMs;
    private volatile boolean closed;

    public JdbcOrderReader(OrderSourceTaskConfig taskConfig, OffsetStorageReader offsets, SourceMetrics metrics, Idle idle) {
        this.taskConfig = taskConfig;
        this.config = taskConfig.jdbc();
        this.topic = taskConfig.output().topic();
        this.task = taskConfig.taskId();
        this.tasks = taskConfig.taskCount();
        this.batchMaxRecords = taskConfig.output().batchMaxRecords();
        this.tolerateBadRows = taskConfig.toleratesErrors();
        this.offsets = offsets;
        this.metrics = metrics;
        this.rowsSkipped = metrics.instruments().counter("rows-skipped-total",
                "Row versions not emitted: bad rows under errors.tolerance=all, unknown statuses under jdbc.status.unknown=skip");
        this.databaseErrors = metrics.instruments().counter("database-errors-total",
                "Database errors the reader retried (the cursor unmoved)");
        this.idle = idle;
        this.backoffMs = 0;
    }

    @Override
    public List<SourceRecord> poll() {
        if (backoffMs > 0) {
            idle.await(backoffMs);
        }
        try {
            Connection db = connection();
            if (config.cursor().fence() == CursorFence.SNAPSHOT && cursor.snapshotTo() == null) {
                cursor = cursor.withSnapshotTo(currentSnapshot(db));
            }
            List<SourceRecord> batch = readPage(db);
            backoffMs = 0;
            if (batch.isEmpty()) {
                idle.await(config.cursor().pollIntervalMs());
                return null;
            }
            return batch;
        } catch (SQLException e) {
            if (closed) {
                return null;
            }
            if (fatal(e)) {
                throw new ConnectException("The orders database refuses the reader (SQLState " + e.getSQLState() + "): "
                        + e.getMessage() + ". Check " + JdbcConfig.USER + ", " + JdbcConfig.PASSWORD + " and the grants on "
                        + config.table(), e);
            }
            databaseErrors.increment();
            backoffMs = backoffMs == 0 ? config.cursor().retryBackoffMs() : Math.min(config.cursor().retryBackoffMaxMs(), backoffMs * 2);
            log.warn("Reading {} failed (SQLState {}): {}; retrying in {} ms from the same cursor", config.table(),
                    e.getSQLState(), e.getMessage(), backoffMs);
            closeConnection();
            return null;
        }
    }

    /** One page: every row after the cursor in this pass, up to {@code batch.max.records}. */
    private List<SourceRecord> readPage(Connection db) throws SQLException {
        List<SourceRecord> batch = new ArrayList<>();
        TableCursor position = cursor;
        int rows = 0;
        long newest = Long.MIN_VALUE;
        try (PreparedStatement statement = query.prepare(db, position); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows++;
                Instant timestamp = converter.cursorTimestamp(rs);
                Object id = converter.cursorId(rs);
                position = position.after(timestamp, id);
                RowConverter.Row row = convertOrSkip(rs, timestamp, id);
                if (row != null) {
                    batch.add(new SourceRecord(sourcePartition, JdbcOffsets.offset(position), topic, null,
                            Schema.STRING_SCHEMA, row.key(), converter.schema(), row.value(), row.eventTimeMs()));
                    newest = Math.max(newest, row.eventTimeMs());
                }
            }
        }
        // A short page ends the pass: with the snapshot fence the next reads what committed since its snapshot.
        cursor = rows < query.limit() && config.cursor().fence() == CursorFence.SNAPSHOT ? position.nextPass() : position;
        if (!batch.isEmpty()) {
            metrics.emitted(batch.size(), newest);
        }
        return batch;
    }

    private RowConverter.Row convertOrSkip(ResultSet rs, Instant timestamp, Object id) throws SQLException {
        RowConverter.Row row;
        try {
            row = converter.convert(rs, timestamp, id);
        } catch (DataException e) {
            if (!tolerateBadRows) {
                throw e;
            }
            rowsSkipped.increment();
            log.warn("Skipping a bad row (errors.tolerance=all): {}", e.getMessage());
            return null;
        }
        if (row == null) {
            rowsSkipped.increment();
            log.warn("Skipping the row at ({}, {}) of {}: unknown status ({}=skip)", timestamp, id, config.table(),
                    JdbcConfig.STATUS_UNKNOWN);
        }
        return row;
    }

    /** The open connection; the first one also inspects the table and finds where this task resumes. */
    private Connection connection() throws SQLException {
        if (connection != null) {
            return connection;
        }
        Connection db = JdbcConnections.open(config);
        try {
            db.setAutoCommit(true);
            db.setReadOnly(true);
            if (query == null) {
                OrderTable table = OrderTable.inspect(db, config);
                query = new PageQuery(table, config, task, tasks, batchMaxRecords);
                converter = new RowConverter(table, config, taskConfig.output());
                sourcePartition = JdbcOffsets.partition(table.name(), task, tasks);
                cursor = resume(table);
            }
        } catch (TableProblem e) {
            closeQuietly(db);
            throw new ConnectException(e.getMessage() + " (" + e.option() + ")", e);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(db);
            throw e;
        }
        connection = db;
        return db;
    }

    private TableCursor resume(OrderTable table) {
        Map<String, Object> stored = offsets.offset(sourcePartition);
        if (stored == null) {
            log.info("Reading {} (task {} of {}) from its first row, fence {}", table.name(), task, tasks,
                    config.cursor().fence().configValue());
            return TableCursor.start();
        }
        TableCursor resumed = JdbcOffsets.decode(stored);
        if (resumed.id() instanceof String text && table.kind(CursorConfig.ID_COLUMN) == OrderTable.Kind.INTEGER) {
            try {
                resumed = resumed.after(resumed.timestamp(), Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw new ConnectException("Stored offset " + stored + ": 'id' must be an integer for column "
                        + config.cursor().idColumn());
            }
        }
        if (config.cursor().fence() != CursorFence.SNAPSHOT && (resumed.snapshotFrom() != null || resumed.snapshotTo() != null)) {
            resumed = new TableCursor(null, null, resumed.timestamp(), resumed.id());
        }
        log.info("Resuming {} (task {} of {}) after {}", table.name(), task, tasks, stored);
        return resumed;
    }

    private static String currentSnapshot(Connection db) throws SQLException {
        try (Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT CAST(pg_current_snapshot() AS text)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Authentication (28xxx), permission (42501) and missing table/column (42P01, 42703): retrying cannot help. */
    static boolean fatal(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("28") || state.equals("42501") || state.equals("42P01")
                || state.equals("42703") || state.equals("3D000"));
    }

    @Override
    public void close() {
        closed = true;
        closeConnection();
    }

    private void closeConnection() {
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
        }
    }

    private static void closeQuietly(Connection db) {
        try {
            db.close();
        } catch (SQLException e) {
            log.debug("Closing the orders database connection failed", e);
        }
    }
}
