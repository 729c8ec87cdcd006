package io.orderflow.smt.window;

import java.util.Arrays;
import java.util.Locale;

/** What happens to a record that arrives behind the watermark. */
enum LatePolicy {
    /** No watermark: every record passes unmarked. */
    NONE,
    /** Adds a boolean field (true for late records, false otherwise). */
    FLAG_FIELD,
    /** Adds a boolean header to late records. */
    FLAG_HEADER,
    /** Drops late records. */
    DROP;

    String configValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static LatePolicy fromConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    static String[] configValues() {
        return Arrays.stream(values()).map(LatePolicy::configValue).toArray(String[]::new);
    }
}
