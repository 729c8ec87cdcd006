package io.orderflow.sink.config;

import java.util.Map;

/** The connector's name as Connect puts it in the connector's configuration and in every task's. */
public final class ConnectorNames {

    private static final String NAME = "name";

    private ConnectorNames() {
    }

    /** The name in {@code config}; {@code fallback} where a test or a benchmark starts a task without one. */
    public static String of(Map<String, String> config, String fallback) {
        return config.getOrDefault(NAME, fallback);
    }
}
