package io.orderflow.source.event;

import java.util.Locale;

/** How the {@code amount} field is typed in the record schema. */
public enum AmountType {
    /** Connect Decimal, scale 2, precision 18: exact money, the default. */
    DECIMAL,
    /** FLOAT64, for consumers built against the original Flink job's schema. */
    DOUBLE;

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AmountType fromConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
