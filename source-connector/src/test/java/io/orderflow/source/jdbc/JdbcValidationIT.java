package io.orderflow.source.jdbc;

import io.orderflow.source.OrderSourceConnector;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code validate()} with reader=jdbc against a real PostgreSQL server that checks passwords (scram-sha-256): each
 * mistake a user makes is reported on the option that causes it, in words that say what to change.
 */
class JdbcValidationIT {

    @TempDir
    static Path dir;

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(false)
                .setServerConfig("password_encryption", "scram-sha-256").start();
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement sql = db.createStatement()) {
            sql.execute("CREATE ROLE shop LOGIN PASSWORD 'right-password'");
            sql.execute("CREATE TABLE orders (id bigserial PRIMARY KEY, order_id text, customer_id text, amount numeric(12,2), "
                    + "currency text, status text, event_time timestamptz, updated_at timestamptz)");
            sql.execute("CREATE TABLE loose_orders (id bigint, order_id text, customer_id text, amount numeric, "
                    + "currency text, status text, event_time timestamptz, updated_at timestamptz)");
            sql.execute("CREATE TABLE secret_orders (LIKE orders)");
            sql.execute("GRANT SELECT ON orders, loose_orders TO shop");
            sql.execute("CREATE VIEW orders_view AS SELECT * FROM orders");
            sql.execute("GRANT SELECT ON orders_view TO shop");
        }
        // The superuser keeps trust (the test's own connections); everyone else must give a password.
        Files.writeString(dir.resolve("pg").resolve("pg_hba.conf"),
                "host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
                        + "host all all ::1/128 scram-sha-256\nlocal all all trust\n");
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement sql = db.createStatement()) {
            sql.execute("SELECT pg_reload_conf()");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static Map<String, String> config(String... options) {
        Map<String, String> config = new HashMap<>(Map.of(
                "connector.class", OrderSourceConnector.class.getName(),
                "name", "orders-from-db",
                "reader", "jdbc",
                "jdbc.url", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres",
                "jdbc.user", "shop",
                "jdbc.password", "right-password",
                "jdbc.table", "public.orders"));
        for (int i = 0; i < options.length; i += 2) {
            config.put(options[i], options[i + 1]);
        }
        return config;
    }

    private static Map<String, String> errors(Map<String, String> config) {
        Map<String, String> errors = new TreeMap<>();
        new OrderSourceConnector().validate(config).configValues().forEach(value -> {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), String.join("; ", value.errorMessages()));
            }
        });
        return errors;
    }

    private static void assertError(String option, String fragment, Map<String, String> config) {
        Map<String, String> errors = errors(config);
        assertEquals(java.util.Set.of(option), errors.keySet(), errors.toString());
        assertTrue(errors.get(option).contains(fragment), errors.get(option));
    }

    @Test
    void aCorrectConfigurationHasNoErrors() {
        assertEquals(Map.of(), errors(config()));
    }

    @Test
    void aServerNobodyListensOnIsAnErrorOnTheUrl() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertError("jdbc.url", "Cannot connect to", config("jdbc.url", "jdbc:postgresql://127.0.0.1:" + closed + "/postgres"));
        assertError("jdbc.url", "No JDBC driver", config("jdbc.url", "jdbc:nosuchdb://host/db"));
        assertError("jdbc.url", "is required with reader=jdbc", config("jdbc.url", ""));
    }

    @Test
    void aWrongPasswordIsAnErrorOnThePasswordAndNeverShowsIt() {
        Map<String, String> errors = errors(config("jdbc.password", "wrong-password"));
        assertEquals(java.util.Set.of("jdbc.password"), errors.keySet(), errors.toString());
        assertTrue(errors.get("jdbc.password").contains("refuses the password for user 'shop'"), errors.toString());
        assertTrue(!errors.toString().contains("wrong-password") && !errors.toString().contains("right-password"), errors.toString());
    }

    @Test
    void aMissingTableOrColumnIsAnErrorOnTheOptionNamingIt() {
        assertError("jdbc.table", "No table or view", config("jdbc.table", "public.order_s"));
        assertError("jdbc.column.customer_id", "No column customer", config("jdbc.column.customer_id", "customer"));
        assertError("jdbc.cursor.timestamp.column", "No column modified_at", config("jdbc.cursor.timestamp.column", "modified_at"));
        assertError("jdbc.column.amount", "must be a numeric", config("jdbc.column.amount", "currency"));
    }

    @Test
    void anUnscaledNumericNeedsAConfiguredScale() {
        assertError("jdbc.column.amount", "set jdbc.amount.scale", config("jdbc.table", "public.loose_orders"));
        assertEquals(Map.of(), errors(config("jdbc.table", "public.loose_orders", "jdbc.amount.scale", "2")));
    }

    @Test
    void aTableTheUserMayNotReadIsAnErrorOnTheTable() {
        assertError("jdbc.table", "may not read", config("jdbc.table", "public.secret_orders"));
    }

    @Test
    void aViewNeedsAnXidColumnForTheSnapshotFence() {
        assertError("jdbc.cursor.xid.column", "is a view", config("jdbc.table", "public.orders_view"));
        assertEquals(Map.of(), errors(config("jdbc.table", "public.orders_view", "jdbc.cursor.fence", "safety-lag")));
    }

    @Test
    void theSnapshotFenceNeedsPostgresql() {
        assertError("jdbc.cursor.fence", "needs PostgreSQL", config("jdbc.url", "jdbc:mysql://db/shop", "jdbc.cursor.fence", "snapshot"));
    }

    /** At run time (a password rotated under a running connector, say) the task fails at once, naming the options. */
    @Test
    void aRefusedPasswordAtRunTimeFailsTheTaskInsteadOfRetrying() {
        Map<String, String> props = io.orderflow.source.config.OrderSourceTaskConfig.forTask(config("jdbc.password", "rotated"), 0, 1, 0);
        io.orderflow.source.OrderSourceTask task = new io.orderflow.source.TaskHarness().start(props);
        org.apache.kafka.connect.errors.ConnectException failure = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.kafka.connect.errors.ConnectException.class, task::poll);
        task.stop();
        assertTrue(failure.getMessage().contains("refuses the reader (SQLState 28P01)")
                && failure.getMessage().contains("jdbc.user, jdbc.password"), failure.getMessage());
        assertTrue(!failure.getMessage().contains("rotated") && !failure.getMessage().contains("right-password"), failure.getMessage());
    }
}
