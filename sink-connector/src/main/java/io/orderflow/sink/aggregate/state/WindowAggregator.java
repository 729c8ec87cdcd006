package io.orderflow.sink.aggregate.state;

import io.orderflow.common.field.FieldPath;
import io.orderflow.common.window.Watermark;
import io.orderflow.common.window.WindowAssigner;
import io.orderflow.sink.aggregate.config.AggregateSpec;
import io.orderflow.sink.aggregate.config.SummaryConfig;
import io.orderflow.sink.aggregate.config.WindowConfig;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.field.FieldSyntaxVersion;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns records into per-window deltas, and keeps the task's watermark: the highest event time seen minus the
 * allowed lateness. A record whose window ends at or before the watermark is late, and the late policy decides.
 */
public final class WindowAggregator {

    /** What became of a record. */
    public enum Outcome { ADDED, ADDED_LATE, DROPPED_LATE, LATE_FOR_DLQ }

    // Read once: config accessors look options up (and track their use) on every call, too slow per record.
    private final FieldPath eventTimeField;
    private final FieldPath windowStartField;
    private final FieldPath windowEndField;
    /** Windows computed from the event time (window.size set), or null: the window fields the transform added. */
    private final WindowAssigner assigner;
    private final Watermark watermark;
    private final WindowConfig.LatePolicy latePolicy;
    private final List<AggregateSpec> specs;
    /** Per aggregate, the first aggregate reading the same field: sum(amount) and avg(amount) read it once. */
    private final int[] sameFieldAs;
    private final List<FieldPath> groupBy;
    /** Per aggregate, the field it reads (null for count). */
    private final DecimalField[] fields;
    private final int scale;
    private final WindowDeltas deltas;

    public WindowAggregator(WindowConfig window, SummaryConfig summary) {
        this.eventTimeField = path(window.eventTimeField());
        this.windowStartField = path(window.windowStartField());
        this.windowEndField = path(window.windowEndField());
        this.assigner = window.windowSizeMs() > 0
                ? new WindowAssigner(Duration.ofMillis(window.windowSizeMs()), Duration.ZERO, ZoneOffset.UTC) : null;
        this.watermark = new Watermark(window.allowedLatenessMs());
        this.latePolicy = window.latePolicy();
        this.specs = summary.aggregates();
        this.sameFieldAs = new int[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            sameFieldAs[i] = i;
            for (int j = 0; j < i; j++) {
                if (specs.get(i).field() != null && specs.get(i).field().equals(specs.get(j).field())) {
                    sameFieldAs[i] = j;
                    break;
                }
            }
        }
        this.groupBy = summary.groupBy().stream().map(WindowAggregator::path).toList();
        this.fields = specs.stream().map(spec -> spec.field() == null ? null : new DecimalField(path(spec.field())))
                .toArray(DecimalField[]::new);
        this.scale = summary.decimalScale();
        this.deltas = new WindowDeltas(specs);
    }

    /**
     * Adds a record. Every field is read before anything changes, so a record that fails (a
     * {@link org.apache.kafka.connect.errors.DataException} naming the field and record) leaves no trace.
     */
    public Outcome add(SinkRecord record) {
        long eventTime = RecordFields.millis(record, eventTimeField);
        WindowKey key = key(record, eventTime);
        BigDecimal[] values = new BigDecimal[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            DecimalField field = fields[i];
            values[i] = field == null ? null
                    : sameFieldAs[i] < i ? values[sameFieldAs[i]] : RecordFields.decimal(record, field, scale);
        }
        boolean late = key.endMs() <= watermark.current();
        watermark.observe(eventTime);
        if (late && latePolicy == WindowConfig.LatePolicy.DROP) {
            return Outcome.DROPPED_LATE;
        }
        if (late && latePolicy == WindowConfig.LatePolicy.DLQ) {
            return Outcome.LATE_FOR_DLQ;
        }
        deltas.add(key, values);
        return late ? Outcome.ADDED_LATE : Outcome.ADDED;
    }

    private WindowKey key(SinkRecord record, long eventTime) {
        List<String> groups = new ArrayList<>(groupBy.size());
        for (FieldPath field : groupBy) {
            groups.add(RecordFields.text(record, field));
        }
        if (assigner != null) {
            long[] window = assigner.window(eventTime);
            return new WindowKey(window[0], window[1], groups);
        }
        long start = RecordFields.millis(record, windowStartField);
        long end = RecordFields.millis(record, windowEndField);
        if (end <= start) {
            throw new org.apache.kafka.connect.errors.DataException("Record " + RecordFields.where(record) + ": window end "
                    + end + " is not after its start " + start);
        }
        return new WindowKey(start, end, groups);
    }

    private static FieldPath path(String field) {
        return FieldPath.parse(field, FieldSyntaxVersion.V2);
    }

    /** The highest event time counted so far, or Long.MIN_VALUE before the first record. */
    public long newestEventTime() {
        return watermark.maxEventTime();
    }

    public long watermark() {
        return watermark.current();
    }

    public WindowDeltas deltas() {
        return deltas;
    }

    public List<AggregateSpec> specs() {
        return specs;
    }
}
