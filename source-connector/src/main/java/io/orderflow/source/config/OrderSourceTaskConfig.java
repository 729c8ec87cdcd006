package io.orderflow.source.config;

import io.orderflow.source.generator.GeneratorSettings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

import java.util.HashMap;
import java.util.Map;

/**
 * A task's configuration: the connector's options plus what the connector decides for each task (its index,
 * the number of tasks and the resolved event-time start, so every task of one connector run agrees on 'now').
 */
public final class OrderSourceTaskConfig extends OrderSourceConfig {

    private static final String TASK_ID = "task.id";
    private static final String TASK_COUNT = "task.count";
    private static final String START_MS = "task.event.time.start.ms";

    private static final ConfigDef TASK_CONFIG_DEF = new ConfigDef(CONFIG_DEF)
            .defineInternal(TASK_ID, Type.INT, ConfigDef.NO_DEFAULT_VALUE, Range.atLeast(0), Importance.HIGH, "")
            .defineInternal(TASK_COUNT, Type.INT, ConfigDef.NO_DEFAULT_VALUE, Range.atLeast(1), Importance.HIGH, "")
            .defineInternal(START_MS, Type.LONG, ConfigDef.NO_DEFAULT_VALUE, null, Importance.HIGH, "");

    public OrderSourceTaskConfig(Map<String, String> props) {
        super(TASK_CONFIG_DEF, props);
    }

    public static Map<String, String> forTask(Map<String, String> connectorProps, int taskId, int taskCount, long startMs) {
        Map<String, String> props = new HashMap<>(connectorProps);
        props.put(TASK_ID, Integer.toString(taskId));
        props.put(TASK_COUNT, Integer.toString(taskCount));
        props.put(START_MS, Long.toString(startMs));
        return props;
    }

    /**
     * Settings of this task's stream. {@code storedStartMs}, from the stream's source offset, wins over the
     * start resolved at connector start-up, so a restarted stream keeps its clock.
     */
    public GeneratorSettings generatorSettings(Long storedStartMs) {
        long start = storedStartMs != null ? storedStartMs : getLong(START_MS);
        return generatorSettings(getInt(TASK_ID), getInt(TASK_COUNT), start);
    }

    public int taskId() {
        return getInt(TASK_ID);
    }

    public int taskCount() {
        return getInt(TASK_COUNT);
    }

    /** Settings of a stream with no stored offsets: what the task produces from scratch. */
    public GeneratorSettings freshGeneratorSettings() {
        return generatorSettings(null);
    }
}
