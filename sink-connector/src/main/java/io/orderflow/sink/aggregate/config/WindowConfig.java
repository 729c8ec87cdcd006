package io.orderflow.sink.aggregate.config;

import io.orderflow.common.config.Choices;
import io.orderflow.common.time.Durations;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.time.Duration;
import java.util.Locale;

/**
 * Where a record's window comes from, and what happens to records behind the watermark. The options have the names
 * and the duration syntax ({@code 500ms}, {@code 5s}, {@code 1m}) of the TumblingWindow transform's.
 */
public final class WindowConfig {

    static final String GROUP = "Window";

    static final String WINDOW_START_FIELD = "window.start.field";
    static final String WINDOW_END_FIELD = "window.end.field";
    static final String WINDOW_SIZE = "window.size";
    static final String EVENT_TIME_FIELD = "event.time.field";
    static final String ALLOWED_LATENESS = "allowed.lateness";
    static final String LATE_POLICY = "late.policy";

    /** What a record does whose window closed before it arrived (its end is behind the task's watermark). */
    public enum LatePolicy {
        /** Added to its window anyway: the stored row is corrected. */
        UPDATE,
        /** Left out and counted in the late-records-dropped-total metric. */
        DROP,
        /** Sent to the dead letter queue (errant record reporter). */
        DLQ
    }

    private final String windowStartField;
    private final String windowEndField;
    private final long windowSizeMs;
    private final String eventTimeField;
    private final long allowedLatenessMs;
    private final LatePolicy latePolicy;

    WindowConfig(AbstractConfig config) {
        this.windowStartField = config.getString(WINDOW_START_FIELD);
        this.windowEndField = config.getString(WINDOW_END_FIELD);
        String size = config.getString(WINDOW_SIZE);
        this.windowSizeMs = size.isBlank() ? -1 : Durations.parse(size).toMillis();
        this.eventTimeField = config.getString(EVENT_TIME_FIELD);
        this.allowedLatenessMs = Durations.parse(config.getString(ALLOWED_LATENESS)).toMillis();
        this.latePolicy = LatePolicy.valueOf(config.getString(LATE_POLICY).toUpperCase(Locale.ROOT));
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(WINDOW_START_FIELD, Type.STRING, "window_start", Importance.HIGH,
                        "Field with the window's start (Timestamp or epoch millis), as the TumblingWindow transform adds it.",
                        GROUP, ++order, Width.MEDIUM, "Window start field")
                .define(WINDOW_END_FIELD, Type.STRING, "window_end", Importance.HIGH,
                        "Field with the window's end (exclusive).", GROUP, ++order, Width.MEDIUM, "Window end field")
                .define(WINDOW_SIZE, Type.STRING, "", emptyOr(Durations.atLeast(Duration.ofMillis(1))), Importance.HIGH,
                        "When set (500ms, 30s, 1m, 1h, 1d or ISO-8601), the sink computes tumbling windows of this size, "
                                + "aligned to the epoch, from " + EVENT_TIME_FIELD + " and ignores the window fields; "
                                + "empty: the window fields the TumblingWindow transform added.", GROUP, ++order,
                        Width.SHORT, "Window size")
                .define(EVENT_TIME_FIELD, Type.STRING, "event_time", Importance.HIGH,
                        "Event-time field (Timestamp, epoch millis or ISO-8601): drives the watermark, and the windows "
                                + "when " + WINDOW_SIZE + " is set.", GROUP, ++order, Width.MEDIUM, "Event time field")
                .define(ALLOWED_LATENESS, Type.STRING, "5s", Durations.atLeast(Duration.ZERO), Importance.MEDIUM,
                        "The task's watermark trails the highest event time it has seen by this much (the Flink job's "
                                + "5 s bounded out-of-orderness); a window whose end is behind the watermark is closed.",
                        GROUP, ++order, Width.SHORT, "Allowed lateness")
                .define(LATE_POLICY, Type.STRING, "update", Choices.of("update", "drop", "dlq"),
                        Importance.MEDIUM, "A record for a closed window: 'update' (its row is corrected), 'drop' (counted "
                                + "in the late-records-dropped-total metric) or 'dlq' (dead letter queue).",
                        GROUP, ++order, Width.SHORT, "Late policy");
    }

    private static ConfigDef.Validator emptyOr(ConfigDef.Validator validator) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value != null && !String.valueOf(value).isBlank()) {
                    validator.ensureValid(name, value);
                }
            }

            @Override
            public String toString() {
                return "empty, or " + validator;
            }
        };
    }

    public String windowStartField() {
        return windowStartField;
    }

    public String windowEndField() {
        return windowEndField;
    }

    /** The window size in milliseconds; -1 when windows come from the window fields. */
    public long windowSizeMs() {
        return windowSizeMs;
    }

    public String eventTimeField() {
        return eventTimeField;
    }

    public long allowedLatenessMs() {
        return allowedLatenessMs;
    }

    public LatePolicy latePolicy() {
        return latePolicy;
    }
}
