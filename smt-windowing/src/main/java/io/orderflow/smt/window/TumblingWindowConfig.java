package io.orderflow.smt.window;

import io.orderflow.common.config.Choices;
import io.orderflow.common.time.Durations;
import io.orderflow.common.time.EventTimes;
import io.orderflow.common.field.FieldPath;
import io.orderflow.common.config.ZoneValidator;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.transforms.field.FieldSyntaxVersion;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/** Options of the {@link TumblingWindow} transform, with typed accessors. */
final class TumblingWindowConfig {

    private static final String WINDOW_GROUP = "Window";
    private static final String LATE_GROUP = "Watermark";

    static final String TIME_FIELD = "event.time.field";
    static final String TIME_EPOCH_UNIT = "event.time.epoch.unit";
    static final String WINDOW_SIZE = "window.size";
    static final String WINDOW_OFFSET = "window.offset";
    static final String WINDOW_TIME_ZONE = "window.time.zone";
    static final String WINDOW_START_FIELD = "window.start.field";
    static final String WINDOW_END_FIELD = "window.end.field";
    static final String SET_TIMESTAMP = "set.timestamp";
    static final String LATE_POLICY = "late.policy";
    static final String ALLOWED_LATENESS = "allowed.lateness";
    static final String LATE_CRITERION = "late.criterion";
    static final String LATE_FLAG_FIELD = "late.flag.field";
    static final String LATE_FLAG_HEADER = "late.flag.header";

    static final String CRITERION_WINDOW = "window";
    static final String CRITERION_EVENT = "event";

    static final ConfigDef CONFIG_DEF = Choices.recommended(FieldPath.defineSyntaxVersion(new ConfigDef()
            .define(TIME_FIELD, Type.STRING, "", Importance.HIGH,
                    "Field with the event time (Timestamp, epoch number or ISO-8601 string); empty: the record timestamp.",
                    WINDOW_GROUP, 1, Width.MEDIUM, "Event time field")
            .define(TIME_EPOCH_UNIT, Type.STRING, "millis", Choices.of("millis", "seconds"),
                    Importance.LOW, "Unit of a numeric event time field: millis or seconds.",
                    WINDOW_GROUP, 2, Width.SHORT, "Epoch unit")
            .define(WINDOW_SIZE, Type.STRING, "1m", Durations.atLeast(Duration.ofMillis(1)), Importance.HIGH,
                    "Window length: 500ms, 30s, 1m, 1h, 1d or ISO-8601 (PT1M).",
                    WINDOW_GROUP, 3, Width.SHORT, "Window size")
            .define(WINDOW_OFFSET, Type.STRING, "0s", Durations.atLeast(Duration.ZERO), Importance.LOW,
                    "Shift of the window boundaries, smaller than the size: 1d windows with offset 6h start at 06:00.",
                    WINDOW_GROUP, 4, Width.SHORT, "Window offset")
            .define(WINDOW_TIME_ZONE, Type.STRING, "UTC", new ZoneValidator(), Importance.MEDIUM,
                    "Time zone the windows align to (whole-day windows start at local midnight).",
                    WINDOW_GROUP, 5, Width.SHORT, "Time zone")
            .define(WINDOW_START_FIELD, Type.STRING, "window_start", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Name of the added window start field (Timestamp; epoch millis for schemaless records).",
                    WINDOW_GROUP, 6, Width.SHORT, "Window start field")
            .define(WINDOW_END_FIELD, Type.STRING, "window_end", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Name of the added window end field (exclusive).",
                    WINDOW_GROUP, 7, Width.SHORT, "Window end field")
            .define(SET_TIMESTAMP, Type.BOOLEAN, false, Importance.LOW,
                    "Whether to set the Kafka record timestamp to the event time.",
                    WINDOW_GROUP, 8, Width.SHORT, "Set record timestamp")
            .define(LATE_POLICY, Type.STRING, LatePolicy.NONE.configValue(),
                    Choices.of(LatePolicy.configValues()), Importance.MEDIUM,
                    "Per-task watermark (highest event time seen minus the allowed lateness) and what to do with late "
                            + "records: none (no watermark), flag-field, flag-header or drop. Late records are counted "
                            + "in the transform's late-records-total metric.",
                    LATE_GROUP, 1, Width.SHORT, "Late record policy")
            .define(ALLOWED_LATENESS, Type.STRING, "5s", Durations.atLeast(Duration.ZERO), Importance.MEDIUM,
                    "How far event time may lag the highest event time seen before a record is late (the Flink "
                            + "job's 5 s bounded out-of-orderness).",
                    LATE_GROUP, 2, Width.SHORT, "Allowed lateness")
            .define(LATE_CRITERION, Type.STRING, CRITERION_WINDOW,
                    Choices.of(CRITERION_WINDOW, CRITERION_EVENT), Importance.LOW,
                    "'window': late when the record's window has closed (window end <= watermark), as Flink decides; "
                            + "'event': late when the event time itself is behind the watermark.",
                    LATE_GROUP, 3, Width.SHORT, "Late criterion")
            .define(LATE_FLAG_FIELD, Type.STRING, "is_late", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Boolean field added by the flag-field policy.",
                    LATE_GROUP, 4, Width.SHORT, "Late flag field")
            .define(LATE_FLAG_HEADER, Type.STRING, "orderflow.late", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Header added to late records by the flag-header policy.",
                    LATE_GROUP, 5, Width.SHORT, "Late flag header"), WINDOW_GROUP, 9));

    private final SimpleConfig config;

    TumblingWindowConfig(Map<String, ?> props) {
        config = new SimpleConfig(CONFIG_DEF, props);
        if (windowOffset().compareTo(windowSize()) >= 0) {
            throw new ConfigException(WINDOW_OFFSET, config.getString(WINDOW_OFFSET),
                    "must be smaller than " + WINDOW_SIZE + " (" + config.getString(WINDOW_SIZE) + ")");
        }
        if (windowStartField().equals(windowEndField())) {
            throw new ConfigException(WINDOW_END_FIELD, windowEndField(), "must differ from " + WINDOW_START_FIELD);
        }
    }

    Optional<FieldPath> timePath() {
        String field = config.getString(TIME_FIELD);
        return field.isEmpty() ? Optional.empty() : Optional.of(FieldPath.parse(field, FieldSyntaxVersion.fromConfig(config)));
    }

    EventTimes.EpochUnit epochUnit() {
        return EventTimes.EpochUnit.fromConfig(config.getString(TIME_EPOCH_UNIT));
    }

    Duration windowSize() {
        return Durations.parse(config.getString(WINDOW_SIZE));
    }

    Duration windowOffset() {
        return Durations.parse(config.getString(WINDOW_OFFSET));
    }

    ZoneId timeZone() {
        return ZoneId.of(config.getString(WINDOW_TIME_ZONE));
    }

    String windowStartField() {
        return config.getString(WINDOW_START_FIELD);
    }

    String windowEndField() {
        return config.getString(WINDOW_END_FIELD);
    }

    boolean setTimestamp() {
        return config.getBoolean(SET_TIMESTAMP);
    }

    LatePolicy latePolicy() {
        return LatePolicy.fromConfig(config.getString(LATE_POLICY));
    }

    long allowedLatenessMs() {
        return Durations.parse(config.getString(ALLOWED_LATENESS)).toMillis();
    }

    boolean lateByWindow() {
        return CRITERION_WINDOW.equalsIgnoreCase(config.getString(LATE_CRITERION));
    }

    String lateFlagField() {
        return config.getString(LATE_FLAG_FIELD);
    }

    String lateFlagHeader() {
        return config.getString(LATE_FLAG_HEADER);
    }
}
