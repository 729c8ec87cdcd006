package io.orderflow.configs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.Resources;
import io.orderflow.testing.TempDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The invalid-configuration matrix: each shipped connector JSON with one mistake a user makes, sent to a real
 * worker's {@code PUT /connector-plugins/{class}/config/validate}. Each must be reported on the option that is
 * wrong (transform and predicate options under their prefixed names, as Control Center shows them), and a
 * connector created from it anyway must be refused with no connector or task left behind.
 */
class ConfigMatrixIT {

    private static final Path CONFIG_DIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ConnectStack stack;
    private static TempDirectory workDir;
    private static Path work;

    /** One mistake: the options it changes, and the option whose error must say it. */
    record Mistake(String file, String option, String because, Map<String, String> change) {
    }

    private static Mistake mistake(String file, String option, String because, String... change) {
        Map<String, String> changes = new HashMap<>();
        for (int i = 0; i < change.length; i += 2) {
            changes.put(change[i], change[i + 1]);
        }
        return new Mistake(file, option, because, changes);
    }

    static List<Mistake> mistakes() {
        String source = "order-source.json";
        String lake = "order-lake.json";
        String summary = "order-summary.json";
        return List.of(
                mistake(source, "seed", "not a number", "seed", "forty-two"),
                mistake(source, "orders.per.second", "negative rate", "orders.per.second", "-5"),
                mistake(source, "topic", "empty topic", "topic", ""),
                mistake(source, "event.time.late.fraction", "a fraction above 1", "event.time.late.fraction", "1.5"),
                mistake(source, "currencies", "a weight that is not a number", "currencies", "USD:x,EUR:3"),
                mistake(source, "lifecycle.cancel.probability", "a probability above 1", "lifecycle.cancel.probability", "2"),
                mistake(source, "amount.type", "an unknown amount type", "amount.type", "float"),
                mistake(source, "event.time.start", "not a time", "event.time.start", "yesterday"),
                mistake(lake, "store.url", "a scheme the store does not speak", "store.url", "ftp://host/lake"),
                mistake(lake, "parquet.compression", "an unknown codec", "parquet.compression", "lz5"),
                mistake(lake, "flush.size", "zero records per file", "flush.size", "0"),
                mistake(lake, "partitioner", "an unknown partitioner", "partitioner", "hash"),
                mistake(lake, "partition.fields", "the field partitioner without fields", "partitioner", "field",
                        "partition.fields", ""),
                mistake(lake, "path.format", "a broken date pattern", "path.format", "'dt='yyyy-MM-dd['"),
                mistake(lake, "partition.time.zone", "an unknown time zone", "partition.time.zone", "Mars/Olympus"),
                mistake(lake, "rotate.schedule.interval.ms", "a negative interval", "rotate.schedule.interval.ms", "-5"),
                mistake(lake, "behavior.on.null.values", "an unknown behaviour", "behavior.on.null.values", "drop"),
                mistake(lake, "warehouse.dialect", "an unknown warehouse", "warehouse.dialect", "oracle"),
                mistake(lake, "warehouse.table", "SQL in a table name", "warehouse.table", "orders; DROP TABLE users"),
                mistake(lake, "duckdb.path", "DuckDB without a database file", "duckdb.path", ""),
                mistake(lake, "postgresql.url", "PostgreSQL with a URL that is not JDBC", "warehouse.dialect", "postgresql",
                        "postgresql.url", "http://db:5432/warehouse"),
                mistake(lake, "warehouse.load.error.policy", "an unknown load error policy", "warehouse.load.error.policy", "ignore"),
                mistake(lake, "snowflake.url", "Snowflake without an account URL", "warehouse.dialect", "snowflake"),
                mistake(summary, "aggregates", "an unknown aggregate function", "aggregates", "total=median(amount)"),
                mistake(summary, "late.policy", "an unknown late policy", "late.policy", "ignore"),
                mistake(summary, "aggregate.decimal.scale", "a negative scale", "aggregate.decimal.scale", "-1"),
                mistake(summary, "flush.interval.ms", "a flush interval of zero", "flush.interval.ms", "0"),
                mistake(summary, "group.by", "SQL in a group-by column", "group.by", "currency; DROP TABLE x"),
                mistake(summary, "allowed.lateness", "a negative lateness", "allowed.lateness", "-5s"),
                mistake(summary, "transforms.window.window.size", "a window of zero length", "transforms.window.window.size", "0s"),
                mistake(summary, "transforms.window.window.time.zone", "an unknown window time zone",
                        "transforms.window.window.time.zone", "Nowhere/Zone"),
                mistake(summary, "transforms.window.late.policy", "an unknown late policy in the transform",
                        "transforms.window.late.policy", "explode"),
                mistake(summary, "predicates.isCompleted.expression", "an expression that does not parse",
                        "predicates.isCompleted.expression", "status =="),
                mistake(summary, "predicates.isCompleted.expression", "a field path the configured syntax (V2) refuses",
                        "predicates.isCompleted.field.syntax.version", "V2", "predicates.isCompleted.expression", "status..x == 'A'"),
                mistake(summary, "predicates.isCompleted.missing.field.behavior", "an unknown missing-field behaviour",
                        "predicates.isCompleted.missing.field.behavior", "maybe"),
                mistake(lake, "transforms.enrich.time.fields", "a broken pattern in a derived time field",
                        "transforms.enrich.time.fields", "event_date:yyyy-bb"),
                mistake(lake, "transforms.enrich.static.fields", "a static field without a value",
                        "transforms.enrich.static.fields", "pipeline"),
                mistake(lake, "transforms.enrich.time.zone", "an unknown time zone in the enrichment",
                        "transforms.enrich.time.zone", "Atlantis/Capital"),
                mistake("avro/" + lake, "errors.retry.timeout", "a registry wait the worker would give up on",
                        "errors.retry.timeout", "0"),
                mistake("avro/" + summary, "value.converter.outage.max.wait.ms", "a registry wait beyond the poll interval",
                        "value.converter.outage.max.wait.ms", "290000"));
    }

    @BeforeAll
    static void start() throws Exception {
        stack = ConnectStack.start("orderflow-config-matrix-it", 1);
        workDir = TempDirectory.create("config-matrix-it-");
        work = workDir.path();
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, workDir);
    }

    @Test
    void everyMistakeIsReportedOnItsOptionAndNoConnectorStarts() throws Exception {
        List<String> failures = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format("%n%-48s %-42s %s%n", "option", "mistake", "error"));
        int index = 0;
        for (Mistake mistake : mistakes()) {
            Map<String, String> config = ConnectStack.readConfig(CONFIG_DIR.resolve(mistake.file()));
            config.put("name", "bad-" + index++);
            if (config.containsKey("store.url")) {
                config.put("store.url", work.resolve("lake").toUri().toString());
            }
            if (config.containsKey("duckdb.path")) {
                config.put("duckdb.path", work.resolve("warehouse.duckdb").toString());
            }
            config.putAll(mistake.change());
            String connectorClass = config.get("connector.class");
            HttpResponse<String> validation = stack.rest("PUT", "connector-plugins/" + connectorClass + "/config/validate",
                    ConnectStack.toJson(config));
            JsonNode result = JSON.readTree(validation.body());
            List<String> onOption = new ArrayList<>();
            List<String> elsewhere = new ArrayList<>();
            for (JsonNode entry : result.path("configs")) {
                JsonNode value = entry.path("value");
                for (JsonNode error : value.path("errors")) {
                    (value.path("name").asText().equals(mistake.option()) ? onOption : elsewhere)
                            .add(value.path("name").asText() + ": " + error.asText());
                }
            }
            table.append(String.format("%-48s %-42s %s%n", mistake.option(), mistake.because(),
                    onOption.isEmpty() ? "NONE (elsewhere: " + elsewhere + ")" : onOption.get(0)));
            if (onOption.isEmpty()) {
                failures.add(mistake.because() + ": no error on " + mistake.option() + " (errors: " + elsewhere + ")");
            }
            HttpResponse<String> created = stack.rest("PUT", "connectors/" + config.get("name") + "/config",
                    ConnectStack.toJson(config));
            HttpResponse<String> exists = stack.rest("GET", "connectors/" + config.get("name") + "/status", null);
            if (created.statusCode() != 400 || exists.statusCode() != 404) {
                failures.add(mistake.because() + ": creating it anyway gave HTTP " + created.statusCode()
                        + " and the connector's status HTTP " + exists.statusCode());
                stack.rest("DELETE", "connectors/" + config.get("name"), null);
            }
        }
        System.out.println(table);
        int tried = mistakes().size();
        System.out.printf("invalid configurations: %d tried, %d reported on their option, %d failed%n", tried,
                tried - failures.size(), failures.size());
        assertEquals(List.of(), failures);
    }
}
