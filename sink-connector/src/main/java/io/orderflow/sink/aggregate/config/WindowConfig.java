package io.orderflow.sink.aggregate.config;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.util.Locale;

/** Where a record's window comes from, and what happens to records behind the watermark. */
public final class WindowConfig {

    static final String GROUP = "Window";

    static final String WINDOW_START_FIELD = "window.start.field";
    static final String WINDOW_END_FIELD = "window.end.field";
    static final String WINDOW_SIZE_MS = "window.size.ms";
    static final String EVENT_TIME_FIELD = "event.time.field";
    static final String ALLOWED_LATENESS_MS = "allowed.lateness.ms";
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

    private final AbstractConfig config;

    WindowConfig(AbstractConfig config) {
        this.config = config;
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(WINDOW_START_FIELD, Type.STRING, "window_start", Importance.HIGH,
                        "Field with the window's start (Timestamp or epoch millis), as the TumblingWindow transform adds it.",
                        GROUP, ++order, Width.MEDIUM, "Window start field")
                .define(WINDOW_END_FIELD, Type.STRING, "window_end", Importance.HIGH,
                        "Field with the window's end (exclusive).", GROUP, ++order, Width.MEDIUM, "Window end field")
                .define(WINDOW_SIZE_MS, Type.LONG, -1L, Range.atLeast(-1), Importance.HIGH,
                        "When positive, the sink computes tumbling windows of this size (aligned to the epoch) from "
                                + EVENT_TIME_FIELD + " and ignores the window fields.", GROUP, ++order, Width.SHORT,
                        "Window size (ms)")
                .define(EVENT_TIME_FIELD, Type.STRING, "event_time", Importance.HIGH,
                        "Event-time field (Timestamp or epoch millis): drives the watermark, and the windows when "
                                + WINDOW_SIZE_MS + " is set.", GROUP, ++order, Width.MEDIUM, "Event time field")
                .define(ALLOWED_LATENESS_MS, Type.LONG, 5_000L, Range.atLeast(0), Importance.MEDIUM,
                        "The task's watermark trails the highest event time it has seen by this much; a window whose "
                                + "end is behind the watermark is closed.", GROUP, ++order, Width.SHORT, "Allowed lateness (ms)")
                .define(LATE_POLICY, Type.STRING, "update", ConfigDef.CaseInsensitiveValidString.in("update", "drop", "dlq"),
                        Importance.MEDIUM, "A record for a closed window: 'update' (its row is corrected), 'drop' (counted "
                                + "in the late-records-dropped-total metric) or 'dlq' (dead letter queue).",
                        GROUP, ++order, Width.SHORT, "Late policy");
    }

    public String windowStartField() {
        return config.getString(WINDOW_START_FIELD);
    }

    public String windowEndField() {
        return config.getString(WINDOW_END_FIELD);
    }

    public long windowSizeMs() {
        return config.getLong(WINDOW_SIZE_MS);
    }

    public String eventTimeField() {
        return config.getString(EVENT_TIME_FIELD);
    }

    public long allowedLatenessMs() {
        return config.getLong(ALLOWED_LATENESS_MS);
    }

    public LatePolicy latePolicy() {
        return LatePolicy.valueOf(config.getString(LATE_POLICY).toUpperCase(Locale.ROOT));
    }
}
