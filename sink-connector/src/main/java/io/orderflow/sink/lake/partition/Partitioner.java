package io.orderflow.sink.lake.partition;

import org.apache.kafka.connect.sink.SinkRecord;

/** Chooses the partition path of a record: the folder its file lives in under the topic. */
public interface Partitioner {

    /**
     * @param eventTimeMs the record's event time (or the record timestamp), for time-based paths
     * @throws org.apache.kafka.connect.errors.DataException naming the field when the record lacks what the path needs
     */
    String path(SinkRecord record, long eventTimeMs);
}
