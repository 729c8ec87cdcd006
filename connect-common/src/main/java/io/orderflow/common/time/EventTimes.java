package io.orderflow.common.time;

import io.orderflow.common.field.FieldPath;
import org.apache.kafka.connect.errors.DataException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Locale;

/** Reads an event time from the forms it takes in records: Connect Timestamp, epoch number, ISO-8601 text. */
public final class EventTimes {

    /** The unit of numeric event times. */
    public enum EpochUnit {
        MILLIS, SECONDS;

        public static EpochUnit fromConfig(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    private EventTimes() {
    }

    /**
     * @param field named in the error when the value cannot be an event time
     * @throws DataException naming the field when the value is null, missing or of an unusable type
     */
    public static long toEpochMillis(Object value, String field, EpochUnit unit) {
        if (value instanceof Date date) {
            return date.getTime();
        }
        if (value instanceof Long || value instanceof Integer) {
            long number = ((Number) value).longValue();
            return unit == EpochUnit.SECONDS ? Math.multiplyExact(number, 1000L) : number;
        }
        if (value instanceof String text) {
            return parseIso(text, field);
        }
        if (value == null || value == FieldPath.MISSING) {
            throw new DataException("Event time field '" + field + "' is " + (value == null ? "null" : "missing"));
        }
        throw new DataException("Event time field '" + field + "' has type " + value.getClass().getSimpleName()
                + " (value " + value + "); expected a Timestamp, epoch INT64/INT32 or ISO-8601 string");
    }

    private static long parseIso(String text, String field) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new DataException("Event time field '" + field + "' value '" + text
                        + "' is not an ISO-8601 instant such as 2026-01-01T12:00:00Z", e);
            }
        }
    }
}
