package io.orderflow.sink.lake;

import io.orderflow.sink.RecordCoordinates;
import io.orderflow.sink.lake.format.ValueCheck;
import io.orderflow.sink.lake.partition.EventTime;
import io.orderflow.sink.lake.partition.Partitioner;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Decides where a record goes before anything is written: its value as a struct that fits the file's schema
 * ({@link ValueCheck}), its event time, and its folder — the record's topic as transforms left it, then the
 * partitioner's path. Any refusal is a {@link DataException} naming the record, and no writer has been touched.
 */
final class RecordPlacement {

    /** A record ready for its partition's writer. */
    record Placed(Struct value, String directory, long eventTimeMs) {
    }

    private final ValueCheck.Cache valueChecks;
    private final EventTime eventTime;
    private final Partitioner partitioner;
    /**
     * The last folder and what it was made of. The topic and the kafka and time partitioners' paths are the same
     * string instances record after record, so the folder is built (and hashed by the writer's lookup) once per
     * run of them, not per record.
     */
    private String lastTopic;
    private String lastPath;
    private String lastDirectory;

    RecordPlacement(ValueCheck.Cache valueChecks, EventTime eventTime, Partitioner partitioner) {
        this.valueChecks = valueChecks;
        this.eventTime = eventTime;
        this.partitioner = partitioner;
    }

    /** @throws DataException naming the record and what keeps it out of the lake */
    Placed place(SinkRecord record) {
        Struct value = requireStruct(record);
        try {
            valueChecks.check(value);
        } catch (DataException e) {
            throw new DataException("Record " + RecordCoordinates.of(record) + ": " + e.getMessage(), e);
        }
        long time = eventTime.of(record);
        return new Placed(value, directory(record.topic(), partitioner.path(record, time)), time);
    }

    private String directory(String topic, String path) {
        if (topic != lastTopic || path != lastPath) {
            lastTopic = topic;
            lastPath = path;
            lastDirectory = topic + "/" + path;
        }
        return lastDirectory;
    }

    private static Struct requireStruct(SinkRecord record) {
        Schema schema = record.valueSchema();
        if (schema == null || schema.type() != Schema.Type.STRUCT || !(record.value() instanceof Struct struct)) {
            throw new DataException("Record " + RecordCoordinates.of(record) + " has no struct schema ("
                    + (schema == null ? "schemaless" : schema.type()) + "); Parquet needs one: use a converter with schemas");
        }
        return struct;
    }
}
