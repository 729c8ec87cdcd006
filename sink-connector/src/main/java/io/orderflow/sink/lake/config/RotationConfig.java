package io.orderflow.sink.lake.config;

import io.orderflow.common.config.Choices;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.util.Locale;

/** When files are closed and committed, and the memory they may hold meanwhile. */
public final class RotationConfig {

    static final String GROUP = "Rotation";

    static final String FLUSH_SIZE = "flush.size";
    static final String ROTATE_INTERVAL_MS = "rotate.interval.ms";
    static final String ROTATE_SCHEDULE_INTERVAL_MS = "rotate.schedule.interval.ms";
    static final String MAX_OPEN_FILES = "max.open.files.per.task";
    static final String MAX_BUFFERED_BYTES = "max.buffered.bytes.per.task";
    static final String NULL_VALUES = "behavior.on.null.values";

    /** What a record with a null value (a tombstone) does. */
    public enum NullBehavior { FAIL, IGNORE, DLQ }

    private final int flushSize;
    private final long rotateIntervalMs;
    private final long rotateScheduleIntervalMs;
    private final int maxOpenFiles;
    private final long maxBufferedBytes;
    private final NullBehavior nullBehavior;

    RotationConfig(AbstractConfig config) {
        this.flushSize = config.getInt(FLUSH_SIZE);
        this.rotateIntervalMs = config.getLong(ROTATE_INTERVAL_MS);
        this.rotateScheduleIntervalMs = config.getLong(ROTATE_SCHEDULE_INTERVAL_MS);
        this.maxOpenFiles = config.getInt(MAX_OPEN_FILES);
        this.maxBufferedBytes = config.getLong(MAX_BUFFERED_BYTES);
        this.nullBehavior = NullBehavior.valueOf(config.getString(NULL_VALUES).toUpperCase(Locale.ROOT));
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(FLUSH_SIZE, Type.INT, 10_000, Range.atLeast(1), Importance.HIGH,
                        "Records per file: when a file reaches it, the files of its topic partition are committed.",
                        GROUP, ++order, Width.SHORT, "Flush size (records)")
                .define(ROTATE_INTERVAL_MS, Type.LONG, -1L, Range.atLeast(-1), Importance.MEDIUM,
                        "Event-time span of a file: a record whose event time is this far past its file's first "
                                + "record commits the files first. -1 disables.",
                        GROUP, ++order, Width.SHORT, "Rotate interval, event time (ms)")
                .define(ROTATE_SCHEDULE_INTERVAL_MS, Type.LONG, -1L, Range.atLeast(-1), Importance.MEDIUM,
                        "Wall-clock age after which open files are committed, even when no new records arrive, so data "
                                + "is never stuck in an open file. Exactly-once still holds. -1 disables.",
                        GROUP, ++order, Width.SHORT, "Rotate schedule, wall clock (ms)")
                .define(MAX_OPEN_FILES, Type.INT, 100, Range.atLeast(1), Importance.LOW,
                        "Most files a task keeps open; beyond it the topic partition with the most files is committed.",
                        GROUP, ++order, Width.SHORT, "Max open files per task")
                .define(MAX_BUFFERED_BYTES, Type.LONG, 128L * 1024 * 1024, Range.atLeast(1024 * 1024), Importance.LOW,
                        "Most heap a task's open files may hold (estimated: data buffered in memory and each column's page and "
                                + "compression buffers); beyond it the largest topic partition is committed.",
                        GROUP, ++order, Width.SHORT, "Max buffered bytes per task")
                .define(NULL_VALUES, Type.STRING, "fail", Choices.of("fail", "ignore", "dlq"),
                        Importance.MEDIUM, "Records with a null value: fail the task, ignore them, or send them to the "
                                + "dead letter queue (errors.tolerance=all and a DLQ topic).",
                        GROUP, ++order, Width.SHORT, "Null values");
    }

    public int flushSize() {
        return flushSize;
    }

    public long rotateIntervalMs() {
        return rotateIntervalMs;
    }

    public long rotateScheduleIntervalMs() {
        return rotateScheduleIntervalMs;
    }

    public int maxOpenFiles() {
        return maxOpenFiles;
    }

    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    public NullBehavior nullBehavior() {
        return nullBehavior;
    }
}
