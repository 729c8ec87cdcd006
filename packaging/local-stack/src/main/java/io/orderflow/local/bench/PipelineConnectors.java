package io.orderflow.local.bench;

import io.orderflow.local.stack.StackProcesses;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.SchemaRegistryServer;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shipped connector configs ({@code connector-configs/}, or {@code connector-configs/avro/}) as the pipeline
 * benchmark deploys them: unchanged but for names, the topic, tasks, the source's rate, the lake on this stack's
 * S3Proxy, both sinks writing PostgreSQL (which, unlike DuckDB, another process may query while the worker writes),
 * the lake's rotation interval, and one {@code InsertField} transform that stamps each raw row with the broker's
 * append time.
 */
final class PipelineConnectors {

    final String source;
    final String lake;
    final String summary;
    final String topic;
    final String rawTable;
    final String lakePrefix;

    private final Path configs;
    private final StackProcesses stack;
    private final SchemaRegistryServer registry;
    private final String postgresUrl;
    private final boolean describedSchema;

    /**
     * @param describedSchema the source's {@code schema.docs=true} over the shipped JSON config's false: the JSON events
     *                        as they were before that option (the "json-docs" format)
     */
    PipelineConnectors(String id, Path root, StackProcesses stack, SchemaRegistryServer registry, String postgresUrl,
                       boolean describedSchema) {
        this.configs = registry == null ? root.resolve("connector-configs") : root.resolve("connector-configs/avro");
        this.stack = stack;
        this.registry = registry;
        this.postgresUrl = postgresUrl;
        this.describedSchema = describedSchema;
        this.source = "source-" + id;
        this.lake = "lake-" + id;
        this.summary = "summary-" + id;
        this.topic = "orders." + id;
        this.rawTable = "orders_raw_" + id.replace('-', '_');
        this.lakePrefix = "runs/" + id + "/";
    }

    /** {@code ordersPerSecond} in all, split over the tasks; 0: as fast as the tasks go. */
    void deploySource(int tasks, int ordersPerSecond) {
        Map<String, String> config = shipped("order-source.json", source);
        config.put("tasks.max", Integer.toString(tasks));
        config.put("orders.per.second", Integer.toString(ordersPerSecond == 0 ? 0 : Math.max(1, ordersPerSecond / tasks)));
        config.put("event.time.start", "now");
        if (describedSchema) {
            config.put("schema.docs", "true");
        }
        deploy(config);
    }

    void deployLake(int tasks, long rotateMs) {
        Map<String, String> config = shipped("order-lake.json", lake);
        config.put("tasks.max", Integer.toString(tasks));
        config.putAll(stack.lakeStoreOptions());
        config.put("store.url", "s3://" + StackProcesses.LAKE_BUCKET + "/" + lakePrefix.substring(0, lakePrefix.length() - 1));
        config.put("rotate.schedule.interval.ms", Long.toString(rotateMs));
        config.put("warehouse.table", rawTable);
        config.put("transforms", config.get("transforms") + ",appendTime");
        config.put("transforms.appendTime.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        config.put("transforms.appendTime.timestamp.field", "appended_at");
        deploy(config);
    }

    void deploySummary(int tasks) {
        Map<String, String> config = shipped("order-summary.json", summary);
        config.put("tasks.max", Integer.toString(tasks));
        config.put("warehouse.table", "orders_minute_summary_" + rawTable.substring("orders_raw_".length()));
        deploy(config);
    }

    void delete(String connector) {
        ConnectStack.rest(stack.rest().resolve("/connectors/" + connector), "DELETE", null);
    }

    void deleteAll() {
        for (String connector : List.of(source, lake, summary)) {
            delete(connector);
        }
    }

    private Map<String, String> shipped(String file, String name) {
        Map<String, String> config = new LinkedHashMap<>(ConnectStack.readConfig(configs.resolve(file)));
        config.put("name", name);
        config.computeIfPresent("topic", (k, v) -> topic);
        config.computeIfPresent("topics", (k, v) -> topic);
        config.computeIfPresent("errors.deadletterqueue.topic.name", (k, v) -> v + "." + name);
        if (config.containsKey("warehouse.dialect")) {
            config.put("warehouse.dialect", "postgresql");
            config.remove("duckdb.path");
            config.put("postgresql.url", postgresUrl);
            config.put("postgresql.user", "postgres");
        }
        if (registry != null) {
            config.put("value.converter.apicurio.registry.url", registry.apicurioUrl());
        }
        return config;
    }

    private void deploy(Map<String, String> config) {
        URI uri = stack.rest().resolve("/connectors/" + config.get("name") + "/config");
        HttpResponse<String> response = ConnectStack.rest(uri, "PUT", ConnectStack.toJson(config));
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(config.get("name") + " was refused: " + response.body());
        }
    }
}
