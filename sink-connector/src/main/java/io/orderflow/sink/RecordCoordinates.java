package io.orderflow.sink;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Names a record in errors, logs and dead letter messages by where it was consumed: its original topic,
 * partition and offset, which a routing transform (RegexRouter, TimestampRouter) does not change.
 */
public final class RecordCoordinates {

    private RecordCoordinates() {
    }

    /** {@code topic-partition@offset} of the record as consumed. */
    public static String of(SinkRecord record) {
        return record.originalTopic() + "-" + record.originalKafkaPartition() + "@" + record.originalKafkaOffset();
    }
}
