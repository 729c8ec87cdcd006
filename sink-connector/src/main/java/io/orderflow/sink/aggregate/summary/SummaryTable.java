package io.orderflow.sink.aggregate.summary;

import io.orderflow.sink.aggregate.config.AggregateSpec;
import io.orderflow.sink.aggregate.state.Accumulator;
import io.orderflow.sink.aggregate.state.WindowKey;
import io.orderflow.sink.warehouse.DuckDbDatabases;
import io.orderflow.sink.warehouse.WarehouseConnections;
import io.orderflow.sink.warehouse.WarehouseErrors;
import io.orderflow.sink.warehouse.WarehouseException;
import io.orderflow.sink.warehouse.config.WarehouseConfig;
import io.orderflow.sink.warehouse.config.WarehouseConfig.Dialect;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The summary and its offsets in one warehouse. {@link #write} adds every row's delta and moves every partition's
 * offset in one transaction, so the summary always holds exactly the records up to the stored offsets; moving an
 * offset is fenced on its previous value, so a task that lost a partition cannot count its records again.
 */
public final class SummaryTable implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SummaryTable.class);

    /** How a partition's stored offset moves: from {@code expected} (empty: none stored yet) to {@code next}. */
    public record OffsetAdvance(OptionalLong expected, long next) {
    }

    private final WarehouseConfig config;
    private final Dialect dialect;
    private final AggregateDialect sql;
    private final SummaryLayout layout;
    private final String connector;
    private final Object writeLock;
    private Connection connection;

    private SummaryTable(WarehouseConfig config, SummaryLayout layout, String connector) {
        this.config = config;
        this.dialect = config.dialect();
        this.sql = switch (dialect) {
            case DUCKDB -> StandardSqlDialect.duckdb();
            case POSTGRESQL -> StandardSqlDialect.postgresql();
            case SNOWFLAKE -> new SnowflakeDialect();
            case NONE -> throw new IllegalArgumentException("the aggregate sink needs a warehouse");
        };
        this.layout = layout;
        this.connector = connector;
        // DuckDB allows one writer per database file in a process: tasks sharing it take turns.
        this.writeLock = dialect == Dialect.DUCKDB ? DuckDbDatabases.writeLock(config.duckDbPath()) : new Object();
    }

    /** Opens the store and creates or evolves the tables as configured. */
    public static SummaryTable open(WarehouseConfig config, SummaryLayout layout, String connector) {
        SummaryTable store = new SummaryTable(config, layout, connector);
        store.prepareTables();
        return store;
    }

    private void prepareTables() {
        synchronized (writeLock) {
            try (Statement statement = connection().createStatement()) {
                SummarySchema.prepare(statement, sql, layout, config.autoCreate(), config.autoEvolve());
            } catch (SQLException e) {
                throw failed("prepare " + layout.table().quoted(), e);
            }
        }
    }

    public OptionalLong readOffset(TopicPartition partition) {
        synchronized (writeLock) {
            try (PreparedStatement query = connection().prepareStatement(sql.readOffset(layout))) {
                query.setString(1, connector);
                query.setString(2, partition.topic());
                query.setInt(3, partition.partition());
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
                }
            } catch (SQLException e) {
                throw failed("read the offset of " + partition, e);
            }
        }
    }

    /**
     * Adds the deltas and moves the offsets in one transaction.
     *
     * @throws OffsetFencedException when a stored offset is not the expected one (nothing is written)
     * @throws WarehouseException    on any other failure (nothing is written), retriable or not
     */
    public void write(Map<WindowKey, Accumulator> rows, Map<TopicPartition, OffsetAdvance> offsets) {
        inTransaction("write " + rows.size() + " window rows to " + layout.table().quoted(), db -> {
            upsert(db, rows);
            advance(db, offsets);
        });
    }

    /** The statements a transaction runs. */
    @FunctionalInterface
    private interface Statements {
        void run(Connection db) throws SQLException;
    }

    /** Runs the statements in one transaction: committed whole, or rolled back and thrown as a WarehouseException. */
    private void inTransaction(String what, Statements statements) {
        synchronized (writeLock) {
            Connection db = connection();
            try {
                db.setAutoCommit(false);
                try {
                    statements.run(db);
                    db.commit();
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(db);
                    throw e;
                } finally {
                    db.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw failed(what, e);
            }
        }
    }

    /**
     * Sets stored offsets in one transaction, for an operator altering or resetting the connector's offsets while it
     * is stopped: a partition given null loses its row (its tasks then start where the consumer group is), any other
     * gets the offset, whatever was stored; an empty map forgets every offset of the connector. The summary's windows
     * stay as they are.
     */
    public void setOffsets(Map<TopicPartition, Long> offsets) {
        inTransaction("set the stored offsets of " + offsets.keySet() + " in " + layout.offsetsTable().quoted(), db -> {
            try (PreparedStatement forgetAll = db.prepareStatement(sql.deleteConnectorOffsets(layout));
                 PreparedStatement forget = db.prepareStatement(sql.deleteOffset(layout));
                 PreparedStatement claim = db.prepareStatement(sql.claimOffset(layout))) {
                if (offsets.isEmpty()) {
                    forgetAll.setString(1, connector);
                    forgetAll.executeUpdate();
                }
                for (Map.Entry<TopicPartition, Long> entry : offsets.entrySet()) {
                    TopicPartition tp = entry.getKey();
                    forget.setString(1, connector);
                    forget.setString(2, tp.topic());
                    forget.setInt(3, tp.partition());
                    forget.executeUpdate();
                    if (entry.getValue() != null) {
                        claim.setString(1, connector);
                        claim.setString(2, tp.topic());
                        claim.setInt(3, tp.partition());
                        claim.setLong(4, entry.getValue());
                        claim.executeUpdate();
                    }
                }
            }
        });
    }

    private void upsert(Connection db, Map<WindowKey, Accumulator> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<AggregateSpec> specs = layout.aggregates();
        try (PreparedStatement upsert = db.prepareStatement(sql.upsertDelta(layout))) {
            for (Map.Entry<WindowKey, Accumulator> row : rows.entrySet()) {
                int p = 1;
                upsert.setString(p++, Instant.ofEpochMilli(row.getKey().startMs()).toString());
                upsert.setString(p++, Instant.ofEpochMilli(row.getKey().endMs()).toString());
                for (String group : row.getKey().groups()) {
                    upsert.setString(p++, group);
                }
                Accumulator delta = row.getValue();
                for (int i = 0; i < specs.size(); i++) {
                    switch (specs.get(i).function()) {
                        case COUNT -> upsert.setLong(p++, delta.count(i));
                        case SUM, MIN, MAX -> upsert.setBigDecimal(p++, delta.value(i));
                        case AVG -> {
                            upsert.setBigDecimal(p++, delta.value(i));
                            upsert.setLong(p++, delta.count(i));
                        }
                    }
                }
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private void advance(Connection db, Map<TopicPartition, OffsetAdvance> offsets) throws SQLException {
        try (PreparedStatement claim = db.prepareStatement(sql.claimOffset(layout));
             PreparedStatement move = db.prepareStatement(sql.advanceOffset(layout))) {
            for (Map.Entry<TopicPartition, OffsetAdvance> entry : offsets.entrySet()) {
                TopicPartition tp = entry.getKey();
                OffsetAdvance advance = entry.getValue();
                int changed;
                if (advance.expected().isEmpty()) {
                    claim.setString(1, connector);
                    claim.setString(2, tp.topic());
                    claim.setInt(3, tp.partition());
                    claim.setLong(4, advance.next());
                    changed = claim.executeUpdate();
                } else {
                    move.setLong(1, advance.next());
                    move.setString(2, connector);
                    move.setString(3, tp.topic());
                    move.setInt(4, tp.partition());
                    move.setLong(5, advance.expected().getAsLong());
                    changed = move.executeUpdate();
                }
                if (changed != 1) {
                    throw new OffsetFencedException("The stored offset of " + tp + " is no longer "
                            + (advance.expected().isEmpty() ? "absent" : advance.expected().getAsLong())
                            + ": another task has written it; this task's uncommitted deltas are discarded");
                }
            }
        }
    }

    private Connection connection() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = WarehouseConnections.open(config);
            }
            return connection;
        } catch (SQLException e) {
            throw failed("connect to the " + dialect.name().toLowerCase(Locale.ROOT) + " warehouse", e);
        }
    }

    private WarehouseException failed(String what, SQLException e) {
        WarehouseException failure = WarehouseErrors.translate(dialect, "Cannot " + what, e);
        if (failure.retriable()) {
            closeQuietly();
        }
        return failure;
    }

    private static void rollbackQuietly(Connection db) {
        try {
            db.rollback();
        } catch (SQLException e) {
            log.debug("Rollback failed", e);
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Ignoring failure closing a warehouse connection", e);
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
