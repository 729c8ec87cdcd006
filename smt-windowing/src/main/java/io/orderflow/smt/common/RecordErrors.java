package io.orderflow.smt.common;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Names the record a transform or predicate refuses. In a sink connector's chain the record is a
 * {@link SinkRecord} and carries where it was consumed from; the framework's own failure message does not say it
 * (only its error log does, with {@code errors.log.enable=true}), so without this an operator could not find it.
 */
public final class RecordErrors {

    private RecordErrors() {
    }

    /** The error, prefixed with {@code Record topic-partition@offset:} where the record knows its offset. */
    public static DataException named(ConnectRecord<?> record, DataException error) {
        if (record instanceof SinkRecord sink) {
            return new DataException("Record " + sink.originalTopic() + "-" + sink.originalKafkaPartition() + "@"
                    + sink.originalKafkaOffset() + ": " + error.getMessage(), error);
        }
        return new DataException("Record for topic " + record.topic() + ": " + error.getMessage(), error);
    }
}
