package io.orderflow.source.config;

import java.util.Arrays;
import java.util.Locale;

/** What the jdbc reader does with a row whose status maps to no order status. */
public enum UnknownStatusPolicy {
    /** The task fails, naming the row and the value. */
    FAIL,
    /** The row version is not emitted; it is counted ({@code rows-skipped-total}) and logged. */
    SKIP,
    /** The record carries the database's value as its status. */
    PASS;

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UnknownStatusPolicy fromConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    static String[] configValues() {
        return Arrays.stream(values()).map(UnknownStatusPolicy::configValue).toArray(String[]::new);
    }
}
