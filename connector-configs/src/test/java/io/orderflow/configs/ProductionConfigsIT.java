package io.orderflow.configs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.TempDirectory;
import io.orderflow.testing.Resources;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production variants in {@code connector-configs/production/} on a worker configured as
 * {@code worker-config-providers.properties} says: every secret is a {@code ${file:...}} or {@code ${env:...}}
 * placeholder the worker resolves. The PostgreSQL summary runs against a real server with credentials only the
 * secrets file holds; the Snowflake variants validate clean but for the JDBC driver a user adds.
 */
class ProductionConfigsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PRODUCTION = ShippedConfigs.PRODUCTION;
    private static final String PASSWORD = "only-in-the-secrets-file-7f3a";

    private static ConnectStack stack;
    private static EmbeddedPostgres postgres;
    private static TempDirectory secretsDir;
    private static Path secrets;

    @BeforeAll
    static void start() throws Exception {
        stack = ConnectStack.start("orderflow-production-configs", 1, ShippedConfigs.workerConfigProviders());
        postgres = EmbeddedPostgres.start();
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement sql = db.createStatement()) {
            sql.execute("CREATE ROLE orderflow LOGIN PASSWORD '" + PASSWORD + "'");
            sql.execute("CREATE SCHEMA analytics AUTHORIZATION orderflow");
        }
        secretsDir = TempDirectory.create("orderflow-secrets-");
        secrets = secretsDir.path();
        Files.writeString(secrets.resolve("postgresql.properties"), String.join("\n",
                "url=" + postgres.getJdbcUrl("orderflow", "postgres"), "user=orderflow", "password=" + PASSWORD, ""));
        // A real key, as `openssl genpkey` makes one: the sink parses it when it validates.
        java.security.KeyPairGenerator keys = java.security.KeyPairGenerator.getInstance("RSA");
        keys.initialize(2048);
        String privateKey = java.util.Base64.getEncoder().encodeToString(keys.generateKeyPair().getPrivate().getEncoded());
        Files.writeString(secrets.resolve("snowflake.properties"), String.join("\n",
                "url=https://myorg-myaccount.snowflakecomputing.com", "user=ORDERFLOW_LOADER", "private.key=" + privateKey, ""));
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, postgres, secretsDir);
    }

    /**
     * The shipped file as this one-broker cluster can run it: its secrets directory moved from /etc/orderflow/secrets
     * to this test's, and its dead letter queue replicated once instead of three times.
     */
    private static Map<String, String> production(String file) throws Exception {
        Map<String, String> config = ShippedConfigs.read(PRODUCTION.resolve(file), secrets);
        config.replace("errors.deadletterqueue.topic.replication.factor", "1");
        return config;
    }

    /** Options that identify or authenticate against a warehouse: never written in a config, always a placeholder. */
    private static final java.util.Set<String> SECRET_OPTIONS = java.util.Set.of("postgresql.url", "postgresql.user",
            "postgresql.password", "snowflake.url", "snowflake.user", "snowflake.private.key", "snowflake.private.key.passphrase",
            "jdbc.url", "jdbc.user", "jdbc.password",
            "s3.access.key.id", "s3.secret.access.key");

    @Test
    void noSecretIsWrittenInAProductionConfig() throws Exception {
        for (String file : List.of("order-lake-snowflake.json", "order-summary-postgresql.json", "order-summary-snowflake.json",
                "order-source-postgresql.json")) {
            Map<String, String> config = production(file);
            config.forEach((name, value) -> {
                if (SECRET_OPTIONS.contains(name)) {
                    assertTrue(value.startsWith("${file:") || value.startsWith("${env:"), file + " " + name + " holds a value: " + value);
                }
            });
        }
    }

    @Test
    void snowflakeVariantsValidateButForTheDriverTheUserAdds() throws Exception {
        for (String file : List.of("order-lake-snowflake.json", "order-summary-snowflake.json")) {
            Map<String, String> config = production(file);
            List<String> errors = validationErrors(config);
            assertEquals(1, errors.size(), file + ": " + errors);
            assertTrue(errors.get(0).startsWith("warehouse.dialect: ") && errors.get(0).contains("Snowflake JDBC driver"),
                    file + ": " + errors);
        }
    }

    @Test
    void postgresqlSummaryRunsWithCredentialsFromTheSecretsFile() throws Exception {
        Map<String, String> summary = production("order-summary-postgresql.json");
        assertEquals(List.of(), validationErrors(summary));
        String topic = summary.get("topics");
        stack.createTopic(topic, 2);
        Map<String, String> source = ConnectStack.readConfig(PRODUCTION.getParent().resolve("order-source.json"));
        source.putAll(Map.of("orders.per.second", "0", "max.orders", "300", "event.time.start", "2026-03-01T00:00:00Z"));
        put(source);
        put(summary);
        stack.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning("order-summary", 2, "summary did not start");

        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long completed = 0;
        while (System.nanoTime() < deadline && completed == 0) {
            try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement sql = db.createStatement();
                 ResultSet rs = sql.executeQuery("SELECT coalesce(sum(total_orders), 0) FROM analytics.orders_minute_summary")) {
                rs.next();
                completed = rs.getLong(1);
            } catch (java.sql.SQLException notYet) {
                Thread.sleep(1_000);
            }
        }
        assertTrue(completed > 0, "the summary wrote nothing; status: "
                + stack.rest("GET", "connectors/order-summary/status", null).body());
        String shown = stack.rest("GET", "connectors/order-summary/config", null).body();
        assertFalse(shown.contains(PASSWORD), "the REST API shows the password: " + shown);
        assertTrue(shown.contains("${file:"), shown);
        stack.connect().deleteConnector("order-summary");
        stack.connect().deleteConnector("order-source");
    }

    private static void put(Map<String, String> config) {
        ShippedConfigs.put(stack, config);
    }

    private static List<String> validationErrors(Map<String, String> config) throws Exception {
        HttpResponse<String> response = stack.rest("PUT", "connector-plugins/" + config.get("connector.class")
                + "/config/validate", ConnectStack.toJson(config));
        assertEquals(200, response.statusCode(), response.body());
        List<String> errors = new ArrayList<>();
        for (JsonNode option : JSON.readTree(response.body()).get("configs")) {
            for (JsonNode error : option.path("value").path("errors")) {
                errors.add(option.path("value").path("name").asText() + ": " + error.asText());
            }
        }
        return errors;
    }
}
