package io.orderflow.source.jdbc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An order service writing to a real PostgreSQL {@code orders} table: threads insert orders and move them through
 * their statuses, every row version also appended to {@code order_history} in the same transaction. Some
 * transactions stay open for seconds and commit after later ones: their {@code updated_at} ({@code now()}, the
 * transaction's start) and id (taken at its start) are lower than rows committed before them — the rows a plain
 * timestamp+id cursor skips. An order is updated again only seconds after its last version committed, so every
 * version is in the table long enough for a poller to see it.
 */
final class OrdersTableWriter implements AutoCloseable {

    static final String SCHEMA = """
            CREATE TABLE orders (
              id bigserial PRIMARY KEY,
              order_id text NOT NULL UNIQUE,
              customer_id text NOT NULL,
              amount numeric(12, 2) NOT NULL,
              currency text NOT NULL,
              status text NOT NULL,
              event_time timestamptz NOT NULL,
              updated_at timestamptz NOT NULL);
            CREATE TABLE order_history (order_id text NOT NULL, status text NOT NULL);
            """;

    private static final String[] NEXT = {"created", "PAID", "shipped", "COMPLETED"};
    private static final long REVISIT_AFTER_MS = 8_000;

    private final Supplier<Connection> database;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger orders = new AtomicInteger();
    private final AtomicInteger lateCommits = new AtomicInteger();
    private final ConcurrentLinkedQueue<Pending> revisit = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, Integer> step = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile Throwable failure;

    private record Pending(String orderId, long notBeforeMs) {
    }

    OrdersTableWriter(Supplier<Connection> database) {
        this.database = database;
    }

    static void createTables(Connection db) throws SQLException {
        try (Statement sql = db.createStatement()) {
            sql.execute(SCHEMA);
        }
    }

    /** {@code threads} writers, each doing about {@code perSecond} transactions a second, one in {@code lateEvery} held open. */
    OrdersTableWriter start(int writers, int perSecond, int lateEvery) {
        for (int w = 0; w < writers; w++) {
            int seed = w;
            Thread thread = new Thread(() -> write(new Random(seed), perSecond, lateEvery), "orders-writer-" + w);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    private void write(Random random, int perSecond, int lateEvery) {
        try (Connection db = database.get()) {
            db.setAutoCommit(false);
            long n = 0;
            while (running.get()) {
                n++;
                Pending due = revisit.peek();
                boolean update = due != null && due.notBeforeMs() <= System.currentTimeMillis() && revisit.remove(due);
                String orderId = update ? due.orderId() : "o-" + orders.incrementAndGet() + "-" + Thread.currentThread().getName();
                int next = update ? step.get(orderId) + 1 : 0;
                try (PreparedStatement history = db.prepareStatement("INSERT INTO order_history VALUES (?, ?)")) {
                    if (update) {
                        try (PreparedStatement sql = db.prepareStatement(
                                "UPDATE orders SET status = ?, event_time = now(), updated_at = now() WHERE order_id = ?")) {
                            sql.setString(1, NEXT[next]);
                            sql.setString(2, orderId);
                            sql.executeUpdate();
                        }
                    } else {
                        try (PreparedStatement sql = db.prepareStatement("INSERT INTO orders (order_id, customer_id, amount, "
                                + "currency, status, event_time, updated_at) VALUES (?, ?, ?, 'EUR', ?, now(), now())")) {
                            sql.setString(1, orderId);
                            sql.setString(2, "c-" + random.nextInt(100));
                            sql.setBigDecimal(3, BigDecimal.valueOf(100 + random.nextInt(100_000), 2));
                            sql.setString(4, NEXT[0]);
                            sql.executeUpdate();
                        }
                    }
                    history.setString(1, orderId);
                    history.setString(2, NEXT[next].toUpperCase(java.util.Locale.ROOT));
                    history.executeUpdate();
                }
                if (n % lateEvery == 0) {
                    lateCommits.incrementAndGet();
                    Thread.sleep(1_500 + random.nextInt(2_500));   // later transactions commit meanwhile
                }
                db.commit();
                step.put(orderId, next);
                if (next < NEXT.length - 1) {
                    revisit.add(new Pending(orderId, System.currentTimeMillis() + REVISIT_AFTER_MS));
                }
                Thread.sleep(Math.max(1, 1000 / perSecond));
            }
        } catch (Throwable e) {
            if (running.get()) {
                failure = e;
            }
        }
    }

    int lateCommits() {
        return lateCommits.get();
    }

    /** Every committed row version, as (order_id, status) with multiplicity. */
    static List<String> history(Connection db) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery("SELECT order_id, status FROM order_history")) {
            while (rs.next()) {
                versions.add(rs.getString(1) + "/" + rs.getString(2));
            }
        }
        return versions;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        if (failure != null) {
            throw new AssertionError("the writer failed", failure);
        }
    }
}
