package io.orderflow.local.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;

/**
 * A thread that asks the warehouse every 20 ms what a sink has made visible, on a connection of its own, and notes
 * when it first saw each new thing: the time a user querying the warehouse would have seen it, give or take the
 * poll interval.
 */
abstract class WarehousePoller implements AutoCloseable {

    private static final long POLL_MS = 20;

    private final String url;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    WarehousePoller(String url, String name) {
        this.url = url;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    final void start() {
        thread.start();
    }

    /** One poll: read what is visible now and note what is new, stamped {@code now}. */
    abstract void poll(Connection db, long now) throws SQLException;

    private void loop() {
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            while (running) {
                try {
                    poll(db, System.currentTimeMillis());
                } catch (SQLException e) {
                    // The sink creates its tables with its first load or flush.
                    if (!String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("does not exist")) {
                        throw e;
                    }
                }
                Thread.sleep(POLL_MS);
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }
}
