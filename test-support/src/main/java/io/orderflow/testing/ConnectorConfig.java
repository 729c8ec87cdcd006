package io.orderflow.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * A connector's REST configuration as the tests and benchmarks post it: the class, task count, topic and the string
 * key / JSON value converters every orderflow pipeline here uses, then whatever the case adds. Class names are
 * strings so that this module never depends on the plugin modules it tests.
 */
public final class ConnectorConfig {

    public static final String ORDER_SOURCE = "io.orderflow.source.OrderSourceConnector";
    public static final String LAKE_SINK = "io.orderflow.sink.lake.ParquetS3SinkConnector";
    public static final String SUMMARY_SINK = "io.orderflow.sink.aggregate.WindowAggregateSinkConnector";

    private final Map<String, String> values = new HashMap<>();

    private ConnectorConfig(String connectorClass, int tasks, String topicKey, String topic) {
        values.put("connector.class", connectorClass);
        values.put("tasks.max", Integer.toString(tasks));
        if (topic != null) {
            values.put(topicKey, topic);
        }
        values.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        values.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    }

    /** A source connector writing to {@code topic} (the option orderflow's source names {@code topic}). */
    public static ConnectorConfig source(String connectorClass, String topic, int tasks) {
        return new ConnectorConfig(connectorClass, tasks, "topic", topic);
    }

    /** A sink connector reading {@code topics} (a comma-separated list, or {@code null} for none yet). */
    public static ConnectorConfig sink(String connectorClass, String topics, int tasks) {
        return new ConnectorConfig(connectorClass, tasks, "topics", topics);
    }

    /** Sets name/value pairs: {@code with("flush.size", "10", "tasks.max", "2")}; later pairs win. */
    public ConnectorConfig with(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("options come in name/value pairs, got " + pairs.length + " strings");
        }
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return this;
    }

    public ConnectorConfig with(Map<String, String> options) {
        values.putAll(options);
        return this;
    }

    /**
     * The shipped pipelines' filter: a transform named {@code completedOnly} (Kafka's Filter, negated) keeping the
     * records the {@code isCompleted} FieldMatches predicate matches. List {@code completedOnly} in
     * {@code transforms} where it belongs in the chain.
     */
    public ConnectorConfig withCompletedOnlyFilter() {
        return with("transforms.completedOnly.type", "org.apache.kafka.connect.transforms.Filter",
                "transforms.completedOnly.predicate", "isCompleted",
                "transforms.completedOnly.negate", "true",
                "predicates", "isCompleted",
                "predicates.isCompleted.type", "io.orderflow.smt.predicate.FieldMatches",
                "predicates.isCompleted.expression", "status == 'COMPLETED'");
    }

    /** A mutable copy, for cases that change one option between deployments. */
    public Map<String, String> toMap() {
        return new HashMap<>(values);
    }
}
