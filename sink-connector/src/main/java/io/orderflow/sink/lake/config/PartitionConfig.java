package io.orderflow.sink.lake.config;

import io.orderflow.common.config.Choices;
import io.orderflow.common.config.FieldError;
import io.orderflow.common.config.ZoneValidator;
import io.orderflow.common.time.DerivedTimes;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How records are grouped into partition paths. */
public final class PartitionConfig {

    static final String GROUP = "Partitioning";

    static final String PARTITIONER = "partitioner";
    static final String PARTITION_FIELDS = "partition.fields";
    static final String TIME_SOURCE = "partition.time.source";
    static final String EVENT_TIME_FIELD = "event.time.field";
    static final String PATH_FORMAT = "path.format";
    static final String TIME_ZONE = "partition.time.zone";

    /** The partitioners. */
    public enum Kind { KAFKA, FIELD, TIME }

    /** Where the time of a time-based partition path comes from. */
    public enum TimeSource { EVENT, RECORD, WALLCLOCK }

    private final Kind kind;
    private final List<String> fields;
    private final TimeSource timeSource;
    private final String eventTimeField;
    private final String pathPattern;
    private final ZoneId timeZone;

    PartitionConfig(AbstractConfig config) {
        this.kind = Kind.valueOf(config.getString(PARTITIONER).toUpperCase(Locale.ROOT));
        this.fields = config.getList(PARTITION_FIELDS);
        this.timeSource = TimeSource.valueOf(config.getString(TIME_SOURCE).toUpperCase(Locale.ROOT));
        this.eventTimeField = config.getString(EVENT_TIME_FIELD);
        this.pathPattern = config.getString(PATH_FORMAT);
        this.timeZone = ZoneId.of(config.getString(TIME_ZONE));
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(PARTITIONER, Type.STRING, "kafka", Choices.of("kafka", "field", "time"),
                        Importance.HIGH, "Partition paths: 'kafka' (partition=<n>), 'field' (f1=v1/f2=v2 from "
                                + PARTITION_FIELDS + ") or 'time' (" + PATH_FORMAT + " of a time).",
                        GROUP, ++order, Width.SHORT, "Partitioner")
                .define(PARTITION_FIELDS, Type.LIST, "", Importance.MEDIUM,
                        "Record value fields of the 'field' partitioner, in path order.",
                        GROUP, ++order, Width.LONG, "Partition fields")
                .define(TIME_SOURCE, Type.STRING, "event", Choices.of("event", "record", "wallclock"),
                        Importance.MEDIUM, "Time of the 'time' partitioner: 'event' (" + EVENT_TIME_FIELD + "), 'record' "
                                + "(Kafka timestamp) or 'wallclock' (when the sink writes).",
                        GROUP, ++order, Width.SHORT, "Partition time source")
                .define(EVENT_TIME_FIELD, Type.STRING, "", Importance.MEDIUM,
                        "Value field with the event time (Timestamp, epoch millis or ISO-8601 string), for 'event' "
                                + "partitioning and rotate.interval.ms; empty: the Kafka record timestamp.",
                        GROUP, ++order, Width.MEDIUM, "Event time field")
                .define(PATH_FORMAT, Type.STRING, "'dt='yyyy-MM-dd/'hr='HH", new PathFormatValidator(), Importance.MEDIUM,
                        "java.time pattern of the 'time' partitioner's path; quote literal text: 'dt='yyyy-MM-dd/'hr='HH.",
                        GROUP, ++order, Width.LONG, "Path format")
                .define(TIME_ZONE, Type.STRING, "UTC", new ZoneValidator(), Importance.MEDIUM,
                        "Time zone of the path format.", GROUP, ++order, Width.SHORT, "Partition time zone");
    }

    static List<FieldError> crossFieldErrors(Map<String, Object> values) {
        List<FieldError> errors = new ArrayList<>();
        if ("field".equalsIgnoreCase(String.valueOf(values.get(PARTITIONER)))
                && values.get(PARTITION_FIELDS) instanceof List<?> fields && fields.isEmpty()) {
            errors.add(new FieldError(PARTITION_FIELDS, "the 'field' partitioner needs at least one field"));
        }
        return errors;
    }

    public Kind kind() {
        return kind;
    }

    public List<String> fields() {
        return fields;
    }

    public TimeSource timeSource() {
        return timeSource;
    }

    public String eventTimeField() {
        return eventTimeField;
    }

    /** The time path: formatted once per span it cannot change in (an hour for 'dt='yyyy-MM-dd/'hr='HH), not per record. */
    public DerivedTimes pathTimes() {
        return new DerivedTimes(List.of(DateTimeFormatter.ofPattern(pathPattern).withZone(timeZone)), List.of(pathPattern), timeZone);
    }

    private static final class PathFormatValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                DateTimeFormatter.ofPattern((String) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "not a java.time pattern: " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "a java.time pattern, e.g. 'dt='yyyy-MM-dd/'hr='HH";
        }
    }
}
