package io.orderflow.source.jdbc;

import io.orderflow.source.config.CursorConfig;
import io.orderflow.source.config.CursorFence;
import io.orderflow.source.config.JdbcConfig;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one page: the next {@code limit} row versions after the cursor, in cursor order. The select list, the
 * xid expression and the task filter are built once per task; each page only assembles the conditions its cursor
 * needs (first pass or not, a position or not) and binds them.
 *
 * <p>With the snapshot fence (PostgreSQL), a row version belongs to a pass when its transaction is visible in the
 * pass's {@code snapshot_to} and was not in its {@code snapshot_from}. The transaction is the row's {@code xmin}, a
 * 32-bit xid: it is widened to the xid8 the snapshot functions take against the {@code xmax} of the statement's own
 * snapshot, which every visible row precedes by less than 2^32 transactions (unless it was frozen longer ago than
 * that; see the README). An xid8 column ({@code jdbc.cursor.xid.column}) needs no widening.
 */
final class PageQuery {

    static final int ORDER_ID = 1;
    static final int CUSTOMER_ID = 2;
    static final int AMOUNT = 3;
    static final int CURRENCY = 4;
    static final int STATUS = 5;
    static final int EVENT_TIME = 6;
    static final int CURSOR_TIMESTAMP = 7;
    static final int CURSOR_ID = 8;

    private final OrderTable table;
    private final CursorFence fence;
    private final JdbcDialect dialect;
    private final long safetyLagMs;
    private final int limit;
    private final String select;
    private final String xid;
    private final String taskFilter;

    PageQuery(OrderTable table, JdbcConfig config, int task, int tasks, int limit) {
        this.table = table;
        this.fence = config.cursor().fence();
        this.dialect = config.dialect();
        this.safetyLagMs = config.cursor().safetyLagMs();
        this.limit = limit;
        List<String> columns = new ArrayList<>();
        JdbcConfig.FIELDS.forEach(field -> columns.add("t." + table.quoted(field)));
        columns.add("t." + table.quoted(CursorConfig.TIMESTAMP_COLUMN));
        columns.add("t." + table.quoted(CursorConfig.ID_COLUMN));
        this.select = String.join(", ", columns);
        this.xid = config.cursor().xidColumn().isPresent() ? "t." + table.quoted(CursorConfig.XID_COLUMN)
                : "CAST(CAST(GREATEST(3, c.ref - ((c.ref - CAST(CAST(t.xmin AS text) AS bigint)) & 4294967295)) AS text) AS xid8)";
        this.taskFilter = tasks > 1
                ? " AND ((hashtext(CAST(t." + table.quoted(JdbcConfig.FIELDS.get(0)) + " AS text)) & 2147483647) % " + tasks
                + ") = " + task
                : "";
    }

    /** A statement with every parameter bound, ready to execute. */
    PreparedStatement prepare(Connection connection, TableCursor cursor) throws SQLException {
        StringBuilder sql = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        if (fence == CursorFence.SNAPSHOT) {
            sql.append("WITH c AS (SELECT CAST(CAST(pg_snapshot_xmax(pg_current_snapshot()) AS text) AS bigint) AS ref) ")
                    .append("SELECT ").append(select).append(" FROM ").append(table.quotedTable()).append(" t, c")
                    .append(" WHERE pg_visible_in_snapshot(").append(xid).append(", CAST(? AS pg_snapshot))");
            parameters.add(cursor.snapshotTo());
            if (cursor.snapshotFrom() != null) {
                sql.append(" AND NOT pg_visible_in_snapshot(").append(xid).append(", CAST(? AS pg_snapshot))");
                parameters.add(cursor.snapshotFrom());
            }
        } else {
            sql.append("SELECT ").append(select).append(" FROM ").append(table.quotedTable()).append(" t")
                    .append(" WHERE t.").append(table.quoted(CursorConfig.TIMESTAMP_COLUMN)).append(" < ?");
            parameters.add(Instant.now().minusMillis(safetyLagMs));
        }
        String timestamp = "t." + table.quoted(CursorConfig.TIMESTAMP_COLUMN);
        String id = "t." + table.quoted(CursorConfig.ID_COLUMN);
        if (cursor.timestamp() != null && cursor.id() != null && dialect == JdbcDialect.POSTGRESQL) {
            // A row-value comparison: PostgreSQL reads it as one range of a (timestamp, id) index, page after page.
            sql.append(" AND (").append(timestamp).append(", ").append(id).append(") > (?, ?)");
            parameters.add(cursor.timestamp());
            parameters.add(cursor.id());
        } else if (cursor.timestamp() != null && cursor.id() != null) {
            // Portable form; the leading bound lets a timestamp index narrow the scan.
            sql.append(" AND ").append(timestamp).append(" >= ? AND (").append(timestamp).append(" > ? OR (")
                    .append(timestamp).append(" = ? AND ").append(id).append(" > ?))");
            parameters.add(cursor.timestamp());
            parameters.add(cursor.timestamp());
            parameters.add(cursor.timestamp());
            parameters.add(cursor.id());
        } else if (cursor.timestamp() != null) {
            sql.append(" AND ").append(timestamp).append(" >= ?");
            parameters.add(cursor.timestamp());
        }
        sql.append(taskFilter).append(" ORDER BY ").append(timestamp).append(", ").append(id);
        if (dialect == JdbcDialect.POSTGRESQL) {
            sql.append(" LIMIT ").append(limit);
        }
        PreparedStatement statement = connection.prepareStatement(sql.toString());
        statement.setMaxRows(limit);
        statement.setFetchSize(Math.min(limit, 1000));
        for (int i = 0; i < parameters.size(); i++) {
            bind(statement, i + 1, parameters.get(i));
        }
        return statement;
    }

    int limit() {
        return limit;
    }

    private void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof Instant instant) {
            if (table.kind(CursorConfig.TIMESTAMP_COLUMN) == OrderTable.Kind.TIMESTAMP_TZ) {
                statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            } else {
                statement.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
            }
        } else if (value instanceof Long number) {
            statement.setLong(index, number);
        } else {
            statement.setString(index, (String) value);
        }
    }
}
