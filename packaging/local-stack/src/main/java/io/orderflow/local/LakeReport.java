package io.orderflow.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/** Reads the lake the sink wrote with DuckDB, as an analyst would, and prints what it finds. */
final class LakeReport {

    private final Path lake;

    LakeReport(Path lake) {
        this.lake = lake;
    }

    void awaitAndPrint(long expectedRows) throws SQLException, InterruptedException, java.io.IOException {
        String glob = lake.resolve("orders.events") + "/**/*.parquet";
        long deadline = System.nanoTime() + 120_000_000_000L;
        long rows = 0;
        while (System.nanoTime() < deadline && (rows = rows(glob)) < expectedRows) {
            Thread.sleep(500);
        }
        long files;
        try (Stream<Path> walk = Files.walk(lake)) {
            files = walk.filter(p -> p.toString().endsWith(".parquet")).count();
        }
        System.out.println();
        System.out.printf("lake %s: %,d rows in %d Parquet files (expected %,d)%n", lake, rows, files, expectedRows);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duck.createStatement();
             ResultSet rs = statement.executeQuery("SELECT event_date, count(*) FILTER (WHERE status = 'COMPLETED') AS completed, "
                     + "sum(amount) FILTER (WHERE status = 'COMPLETED') AS revenue, count(DISTINCT (order_id, status)) AS distinct_events, "
                     + "count(*) AS events FROM read_parquet('" + glob + "') GROUP BY event_date ORDER BY event_date")) {
            System.out.println("DuckDB over the lake: event_date | completed | revenue | distinct events | events");
            while (rs.next()) {
                System.out.printf("  %s | %d | %s | %d | %d%n", rs.getString(1), rs.getLong(2), rs.getBigDecimal(3),
                        rs.getLong(4), rs.getLong(5));
            }
        }
        if (rows != expectedRows) {
            throw new IllegalStateException("the lake holds " + rows + " rows, expected " + expectedRows);
        }
    }

    private static long rows(String glob) {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duck.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM read_parquet('" + glob + "')")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException noFilesYet) {
            return 0;
        }
    }
}
