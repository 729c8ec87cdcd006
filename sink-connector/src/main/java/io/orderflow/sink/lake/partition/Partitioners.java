package io.orderflow.sink.lake.partition;

import io.orderflow.common.field.FieldPath;
import io.orderflow.common.time.DerivedTimes;
import io.orderflow.sink.RecordCoordinates;
import io.orderflow.sink.lake.config.PartitionConfig;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.field.FieldSyntaxVersion;
import org.apache.kafka.connect.sink.SinkRecord;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/** The partitioners: by Kafka partition, by field values, by time. */
public final class Partitioners {

    private Partitioners() {
    }

    public static Partitioner create(PartitionConfig config, LongSupplier wallClock) {
        return switch (config.kind()) {
            case KAFKA -> kafkaPartition();
            case FIELD -> fields(config.fields());
            case TIME -> time(config.pathTimes(), config.timeSource(), wallClock);
        };
    }

    /**
     * {@code partition=<n>}; the few paths of a task's partitions are built once, not per record, and the last one is
     * kept apart: batches arrive in runs of one partition.
     */
    static Partitioner kafkaPartition() {
        Map<Integer, String> paths = new HashMap<>();
        return new Partitioner() {
            private Integer lastPartition;
            private String lastPath;

            @Override
            public String path(SinkRecord record, long eventTimeMs) {
                Integer partition = record.kafkaPartition();
                if (lastPath == null || !Objects.equals(partition, lastPartition)) {
                    lastPath = paths.computeIfAbsent(partition, p -> "partition=" + p);
                    lastPartition = partition;
                }
                return lastPath;
            }
        };
    }

    static Partitioner fields(List<String> names) {
        List<FieldPath> fields = names.stream().map(name -> FieldPath.parse(name, FieldSyntaxVersion.V2)).toList();
        return (record, eventTimeMs) -> {
            StringBuilder path = new StringBuilder();
            for (FieldPath field : fields) {
                Object value = field.valueFrom(record.value());
                if (value == FieldPath.MISSING) {
                    throw new DataException("Partition field '" + field + "' is missing from record "
                            + RecordCoordinates.of(record));
                }
                if (path.length() > 0) {
                    path.append('/');
                }
                path.append(field).append('=').append(escape(value == null ? "null" : value.toString()));
            }
            return path.toString();
        };
    }

    static Partitioner time(DerivedTimes paths, PartitionConfig.TimeSource source, LongSupplier wallClock) {
        return (record, eventTimeMs) -> {
            long time = switch (source) {
                case EVENT -> eventTimeMs;
                case RECORD -> {
                    if (record.timestamp() == null) {
                        throw new DataException("Record " + RecordCoordinates.of(record) + " has no timestamp for the time partitioner");
                    }
                    yield record.timestamp();
                }
                case WALLCLOCK -> wallClock.getAsLong();
            };
            return paths.format(time)[0];
        };
    }

    /** Keeps paths one level per field: slashes and other unsafe characters become %XX. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", (int) c & 0xff));
            }
        }
        return out.toString();
    }
}
