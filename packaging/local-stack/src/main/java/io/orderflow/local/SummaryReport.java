package io.orderflow.local;

import io.orderflow.sink.warehouse.DuckDbDatabases;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Queries orders_minute_summary, the aggregate sink's table, and holds it against the same aggregate computed by
 * DuckDB from orders_raw (the lake sink's copy of every event): the two connectors must agree to the cent.
 */
final class SummaryReport {

    private static final String FROM_RAW = "SELECT epoch_ms(event_time) // 60000 * 60000 AS minute, count(*) AS orders, "
            + "sum(amount) AS revenue FROM orders_raw WHERE status = 'COMPLETED' GROUP BY minute";
    private static final String FROM_SUMMARY = "SELECT epoch_ms(window_start) AS minute, total_orders AS orders, "
            + "total_revenue AS revenue FROM orders_minute_summary";

    private final Path warehouse;

    SummaryReport(Path warehouse) {
        this.warehouse = warehouse;
    }

    void awaitAndPrint() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        long differing;
        while ((differing = differingMinutes()) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        try (Connection duck = DuckDbDatabases.connect(warehouse.toString());
             Statement statement = duck.createStatement();
             ResultSet rs = statement.executeQuery("SELECT window_start, window_end, total_orders, total_revenue, avg_order_value "
                     + "FROM orders_minute_summary ORDER BY window_start")) {
            System.out.println();
            System.out.println("DuckDB orders_minute_summary (aggregate sink): window_start | window_end | total_orders | "
                    + "total_revenue | avg_order_value");
            while (rs.next()) {
                System.out.printf("  %s | %s | %d | %s | %s%n", rs.getObject(1), rs.getObject(2), rs.getLong(3),
                        rs.getBigDecimal(4), rs.getBigDecimal(5));
            }
        }
        System.out.printf("minutes where the summary and orders_raw disagree: %d%n", differing);
        if (differing != 0) {
            throw new IllegalStateException("orders_minute_summary differs from orders_raw in " + differing + " minutes");
        }
    }

    /** Minutes present in only one of the two, or with different counts or revenue; -1 while a table is missing. */
    private long differingMinutes() {
        try (Connection duck = DuckDbDatabases.connect(warehouse.toString());
             Statement statement = duck.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM ((" + FROM_RAW + ") EXCEPT (" + FROM_SUMMARY + ")) "
                     + "UNION ALL SELECT count(*) FROM ((" + FROM_SUMMARY + ") EXCEPT (" + FROM_RAW + "))")) {
            long differing = 0;
            while (rs.next()) {
                differing += rs.getLong(1);
            }
            return differing;
        } catch (SQLException tableNotThereYet) {
            return -1;
        }
    }
}
