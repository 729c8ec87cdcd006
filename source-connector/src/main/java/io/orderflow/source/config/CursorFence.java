package io.orderflow.source.config;

import java.util.Arrays;
import java.util.Locale;

/** What keeps the jdbc reader's cursor from passing a row whose transaction has yet to commit. */
public enum CursorFence {
    /** {@link #SNAPSHOT} on PostgreSQL, {@link #SAFETY_LAG} on any other database. */
    AUTO,
    /**
     * PostgreSQL only: each poll reads the row versions whose transaction committed between two snapshots of the
     * database ({@code pg_current_snapshot()}), so a late commit is read exactly once whatever its timestamp.
     */
    SNAPSHOT,
    /** Any database: rows newer than now minus {@code jdbc.cursor.safety.lag.ms} wait for a later poll. A bound, not a guarantee. */
    SAFETY_LAG;

    public String configValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static CursorFence fromConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    static String[] configValues() {
        return Arrays.stream(values()).map(CursorFence::configValue).toArray(String[]::new);
    }
}
