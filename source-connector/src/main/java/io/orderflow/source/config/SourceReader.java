package io.orderflow.source.config;

import java.util.Arrays;
import java.util.Locale;

/** Where order events come from. */
public enum SourceReader {
    /** Deterministic synthetic orders: the embedded default. */
    GENERATOR,
    /** An orders table (or view) read incrementally over JDBC. */
    JDBC;

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SourceReader fromConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    static String[] configValues() {
        return Arrays.stream(values()).map(SourceReader::configValue).toArray(String[]::new);
    }
}
