package io.orderflow.sink.lake.partition;

import io.orderflow.common.field.FieldPath;
import io.orderflow.common.time.EventTimes;
import io.orderflow.sink.RecordCoordinates;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.field.FieldSyntaxVersion;

/**
 * The event time of a record: a value field read with the shared event-time reader (Timestamp, epoch millis,
 * ISO-8601 text), or the record timestamp.
 */
public final class EventTime {

    /** Null for the record timestamp. */
    private final FieldPath field;

    /** @param field field path (dots step into nested values); empty for the record timestamp */
    public EventTime(String field) {
        this.field = field.isEmpty() ? null : FieldPath.parse(field, FieldSyntaxVersion.V2);
    }

    /** @throws DataException naming the field and the record when the record has no usable event time */
    public long of(SinkRecord record) {
        if (field == null) {
            if (record.timestamp() == null) {
                throw new DataException("Record " + RecordCoordinates.of(record) + " has no timestamp; set event.time.field");
            }
            return record.timestamp();
        }
        try {
            return EventTimes.toEpochMillis(field.valueFrom(record.value()), field.toString(), EventTimes.EpochUnit.MILLIS);
        } catch (DataException e) {
            throw new DataException("Record " + RecordCoordinates.of(record) + ": " + e.getMessage(), e);
        }
    }
}
