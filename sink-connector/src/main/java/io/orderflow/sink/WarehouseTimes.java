package io.orderflow.sink;

/**
 * The instants every warehouse can store: the years 1 to 9999 (UTC), the range of Snowflake's TIMESTAMP_TZ and the
 * ISO-8601 text both loaders write. Connect's Timestamp is a bare long and holds far more (a producer's overflow
 * gives year 6,351,645); such a value is refused per record, never left to fail a whole load or flush.
 */
public final class WarehouseTimes {

    /** 0001-01-01T00:00:00Z. */
    public static final long MIN_MILLIS = -62_135_596_800_000L;
    /** 9999-12-31T23:59:59.999Z. */
    public static final long MAX_MILLIS = 253_402_300_799_999L;

    private WarehouseTimes() {
    }

    public static boolean holds(long epochMillis) {
        return epochMillis >= MIN_MILLIS && epochMillis <= MAX_MILLIS;
    }
}
