package io.orderflow.local.stack;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What the DuckDB warehouse holds: the raw table's rows and the newest summary minutes. DuckDB lets one process open
 * a database file while it writes, and the worker is that process, so while it runs this reads a copy of the file
 * (and its write-ahead log) taken a moment ago; a copy caught mid-write is skipped and the last good one kept.
 * Once the worker has stopped it reads the file itself.
 */
final class WarehouseView {

    static final String RAW = "orders_raw";
    static final String SUMMARY = "orders_minute_summary";

    record SummaryRow(String windowStart, long orders, BigDecimal revenue, BigDecimal average) {
    }

    /** What one look at the warehouse saw; {@code summaryMismatches} counts minutes that disagree with the raw table. */
    record Snapshot(long rawRows, long distinctEvents, long summaryMismatches, List<SummaryRow> newest) {
        static final Snapshot EMPTY = new Snapshot(0, 0, 0, List.of());
    }

    private final Path database;
    private final Path copies;
    private Snapshot last = Snapshot.EMPTY;

    WarehouseView(Path database, Path copies) {
        this.database = database;
        this.copies = copies;
    }

    Path database() {
        return database;
    }

    /** A look at a copy of the file while the worker writes it. */
    Snapshot snapshot() {
        if (!Files.exists(database)) {
            return last;
        }
        try {
            Files.createDirectories(copies);
            Path copy = copies.resolve("view.duckdb");
            Files.deleteIfExists(copies.resolve("view.duckdb.wal"));
            Files.copy(database, copy, StandardCopyOption.REPLACE_EXISTING);
            Path wal = database.resolveSibling(database.getFileName() + ".wal");
            if (Files.exists(wal)) {
                Files.copy(wal, copies.resolve("view.duckdb.wal"), StandardCopyOption.REPLACE_EXISTING);
            }
            last = read(copy);
        } catch (Exception caughtMidWrite) {
            // keep the last good look
        }
        return last;
    }

    /** A look at the file itself: only once the worker has stopped. */
    Snapshot exact() throws SQLException {
        return read(database);
    }

    private static Snapshot read(Path file) throws SQLException {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + file, readOnly);
             Statement sql = db.createStatement()) {
            if (!exists(sql, RAW)) {
                return Snapshot.EMPTY;
            }
            long rows = single(sql, "SELECT count(*) FROM " + RAW);
            long distinct = single(sql, "SELECT count(*) FROM (SELECT DISTINCT order_id, status FROM " + RAW + ")");
            if (!exists(sql, SUMMARY)) {
                return new Snapshot(rows, distinct, -1, List.of());
            }
            long mismatches = single(sql, "SELECT count(*) FROM (SELECT time_bucket(INTERVAL 1 MINUTE, event_time) AS w, "
                    + "count(*) AS c, sum(amount) AS r FROM " + RAW + " WHERE status = 'COMPLETED' GROUP BY 1) e "
                    + "FULL OUTER JOIN " + SUMMARY + " s ON s.window_start = e.w "
                    + "WHERE e.w IS NULL OR s.window_start IS NULL OR s.total_orders <> e.c OR s.total_revenue <> e.r");
            List<SummaryRow> newest = new ArrayList<>();
            try (ResultSet rs = sql.executeQuery("SELECT strftime(window_start, '%Y-%m-%d %H:%M'), total_orders, "
                    + "total_revenue, avg_order_value FROM " + SUMMARY + " ORDER BY window_start DESC LIMIT 5")) {
                while (rs.next()) {
                    newest.add(new SummaryRow(rs.getString(1), rs.getLong(2), rs.getBigDecimal(3), rs.getBigDecimal(4)));
                }
            }
            return new Snapshot(rows, distinct, mismatches, newest);
        }
    }

    private static boolean exists(Statement sql, String table) throws SQLException {
        return single(sql, "SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table + "'") > 0;
    }

    private static long single(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
