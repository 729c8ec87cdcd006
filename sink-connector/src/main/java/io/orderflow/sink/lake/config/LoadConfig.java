package io.orderflow.sink.lake.config;

import io.orderflow.common.config.Choices;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.util.Locale;

/** What the lake sink does when the warehouse refuses a committed file for good (not an outage: a refusal). */
public final class LoadConfig {

    private static final String GROUP = "Warehouse";
    /** After the shared warehouse options in their group. */
    private static final int FIRST_ORDER_IN_GROUP = 50;

    static final String LOAD_ERROR_POLICY = "warehouse.load.error.policy";

    /** A refused file either stops its partition with instructions, or is recorded as FAILED and passed. */
    public enum LoadErrorPolicy { FAIL, RECORD_AND_CONTINUE }

    private final LoadErrorPolicy loadErrorPolicy;

    LoadConfig(AbstractConfig config) {
        this.loadErrorPolicy = LoadErrorPolicy.valueOf(
                config.getString(LOAD_ERROR_POLICY).toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    static ConfigDef addTo(ConfigDef def) {
        return def.define(LOAD_ERROR_POLICY, Type.STRING, "fail",
                Choices.of("fail", "record-and-continue"), Importance.MEDIUM,
                "When the warehouse refuses a committed lake file permanently (a type or constraint the table rejects; "
                        + "outages are always retried): 'fail' stops the task with a message naming the file and table, "
                        + "and the file is loaded again when the task restarts; 'record-and-continue' keeps the file in "
                        + "the lake, records it as FAILED with the error in the load history, counts it in the "
                        + "load-failures-total metric and goes on.",
                GROUP, FIRST_ORDER_IN_GROUP, Width.MEDIUM, "Load error policy");
    }

    public LoadErrorPolicy loadErrorPolicy() {
        return loadErrorPolicy;
    }
}
