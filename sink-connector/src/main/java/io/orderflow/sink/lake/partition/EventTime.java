package io.orderflow.sink.lake.partition;

import io.orderflow.sink.RecordCoordinates;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;

/** The event time of a record: a value field (Timestamp, epoch millis, ISO-8601 text) or the record timestamp. */
public final class EventTime {

    /** Null for the record timestamp. */
    private final FieldPath field;

    /** @param field dotted value field; empty for the record timestamp */
    public EventTime(String field) {
        this.field = field.isEmpty() ? null : new FieldPath(field);
    }

    /** @throws DataException naming the field when the record has no usable event time */
    public long of(SinkRecord record) {
        if (field == null) {
            if (record.timestamp() == null) {
                throw new DataException("Record " + where(record) + " has no timestamp; set event.time.field");
            }
            return record.timestamp();
        }
        Object value = field.read(record.value());
        if (value instanceof Date date) {
            return date.getTime();
        }
        if (value instanceof Long || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        if (value instanceof String text) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return OffsetDateTime.parse(text).toInstant().toEpochMilli();
                } catch (DateTimeParseException notOffset) {
                    throw new DataException("Event time field '" + field + "' of record " + where(record)
                            + " is not ISO-8601: '" + text + "'");
                }
            }
        }
        throw new DataException("Event time field '" + field + "' of record " + where(record) + " is "
                + (value == FieldPath.MISSING ? "missing" : value == null ? "null" : "of type " + value.getClass().getSimpleName()));
    }

    private static String where(SinkRecord record) {
        return RecordCoordinates.of(record);
    }
}
