package io.orderflow.local;

import io.orderflow.sink.warehouse.DuckDbDatabases;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/** Queries the DuckDB warehouse the lake sink loads, as an analyst would, and prints what it finds. */
final class LakeReport {

    private final Path lake;
    private final Path warehouse;

    LakeReport(Path lake, Path warehouse) {
        this.lake = lake;
        this.warehouse = warehouse;
    }

    void awaitAndPrint(long expectedRows) throws SQLException, InterruptedException, java.io.IOException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        long rows = 0;
        while (System.nanoTime() < deadline && (rows = rows()) < expectedRows) {
            Thread.sleep(500);
        }
        long files;
        try (Stream<Path> walk = Files.walk(lake)) {
            files = walk.filter(p -> p.toString().endsWith(".parquet")).count();
        }
        System.out.println();
        System.out.printf("lake %s: %d Parquet files; warehouse %s: %,d rows in orders_raw (expected %,d)%n",
                lake, files, warehouse, rows, expectedRows);
        // The worker in this JVM holds the DuckDB file; DuckDB allows one writing process, so share its instance.
        try (Connection duck = DuckDbDatabases.connect(warehouse.toString());
             Statement statement = duck.createStatement();
             ResultSet rs = statement.executeQuery("SELECT event_date, count(*) FILTER (WHERE status = 'COMPLETED') AS completed, "
                     + "sum(amount) FILTER (WHERE status = 'COMPLETED') AS revenue, count(DISTINCT (order_id, status)) AS distinct_events, "
                     + "count(*) AS events FROM orders_raw GROUP BY event_date ORDER BY event_date")) {
            System.out.println("DuckDB orders_raw: event_date | completed | revenue | distinct events | events");
            while (rs.next()) {
                System.out.printf("  %s | %d | %s | %d | %d%n", rs.getString(1), rs.getLong(2), rs.getBigDecimal(3),
                        rs.getLong(4), rs.getLong(5));
            }
        }
        if (rows != expectedRows) {
            throw new IllegalStateException("the warehouse holds " + rows + " rows, expected " + expectedRows);
        }
    }

    private long rows() {
        try (Connection duck = DuckDbDatabases.connect(warehouse.toString());
             Statement statement = duck.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM orders_raw")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException tableNotCreatedYet) {
            return 0;
        }
    }
}
