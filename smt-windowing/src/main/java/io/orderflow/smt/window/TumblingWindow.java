package io.orderflow.smt.window;

import io.orderflow.common.window.Watermark;
import io.orderflow.common.window.WindowAssigner;
import io.orderflow.common.Version;
import io.orderflow.smt.common.RecordErrors;
import io.orderflow.common.time.EventTimes;
import io.orderflow.common.field.FieldPath;
import io.orderflow.smt.common.StructExtender;
import org.apache.kafka.common.config.ConfigDef;
import io.orderflow.common.metrics.PluginInstruments;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.util.Requirements;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Assigns each record to its tumbling event-time window: adds {@code window_start} and {@code window_end}
 * to the value, and optionally marks or drops records behind a per-task watermark.
 *
 * <p>There is no {@code Key} variant: the window follows from the event time in the value, and rewriting the
 * key would re-partition the stream.
 *
 * @param <R> the record type
 */
public class TumblingWindow<R extends ConnectRecord<R>> implements Transformation<R>, Monitorable {

    public static final String OVERVIEW_DOC = "Adds the bounds of the record's tumbling event-time window "
            + "(window_start, window_end: Timestamps) computed from an event-time field or the record timestamp, "
            + "with a window size such as 1m, an alignment offset and a time zone. Optionally keeps a per-task "
            + "watermark (highest event time seen minus the allowed lateness, 5 s by default) and flags or drops "
            + "late records, counting them; optionally sets the record timestamp to the event time.";

    public static final ConfigDef CONFIG_DEF = TumblingWindowConfig.CONFIG_DEF;

    private static final String PURPOSE = "assigning tumbling windows";

    private FieldPath timePath;
    private EventTimes.EpochUnit epochUnit;
    private WindowAssigner assigner;
    private String startField;
    private String endField;
    private boolean setTimestamp;
    private LatePolicy latePolicy;
    private boolean lateByWindow;
    private String flagField;
    private String flagHeader;
    private Watermark watermark;
    private StructExtender extender;
    private final AtomicLong lateRecords = new AtomicLong();
    private PluginInstruments.Counter lateCounter = PluginInstruments.Counter.NONE;
    private PluginInstruments.Counter droppedCounter = PluginInstruments.Counter.NONE;

    @Override
    public void configure(Map<String, ?> props) {
        TumblingWindowConfig config = new TumblingWindowConfig(props);
        timePath = config.timePath().orElse(null);
        epochUnit = config.epochUnit();
        assigner = new WindowAssigner(config.windowSize(), config.windowOffset(), config.timeZone());
        startField = config.windowStartField();
        endField = config.windowEndField();
        setTimestamp = config.setTimestamp();
        latePolicy = config.latePolicy();
        lateByWindow = config.lateByWindow();
        flagField = config.lateFlagField();
        flagHeader = config.lateFlagHeader();
        watermark = new Watermark(config.allowedLatenessMs());

        LinkedHashMap<String, Schema> added = new LinkedHashMap<>();
        added.put(startField, Timestamp.SCHEMA);
        added.put(endField, Timestamp.SCHEMA);
        if (latePolicy == LatePolicy.FLAG_FIELD) {
            added.put(flagField, Schema.OPTIONAL_BOOLEAN_SCHEMA);
        }
        extender = new StructExtender(added);
    }

    @Override
    public void withPluginMetrics(PluginMetrics metrics) {
        PluginInstruments instruments = PluginInstruments.of(metrics);
        lateCounter = instruments.counter("late-records-total",
                "Records behind the watermark (flagged or dropped, per late.policy)");
        droppedCounter = instruments.counter("late-records-dropped-total", "Late records dropped (late.policy=drop)");
    }

    @Override
    public R apply(R record) {
        try {
            return assign(record);
        } catch (DataException e) {
            throw RecordErrors.named(record, e);
        }
    }

    private R assign(R record) {
        Object value = record.value();
        if (value == null) {
            return record;
        }
        long eventMs = eventTime(record, value);
        long[] window = assigner.window(eventMs);
        boolean late = false;
        if (latePolicy != LatePolicy.NONE) {
            long mark = watermark.current();
            late = lateByWindow ? window[1] <= mark : eventMs < mark;
            watermark.observe(eventMs);
            if (late) {
                lateRecords.incrementAndGet();
                lateCounter.increment();
                if (latePolicy == LatePolicy.DROP) {
                    droppedCounter.increment();
                    return null;
                }
            }
        }
        Object updated = record.valueSchema() == null
                ? schemaless(Requirements.requireMap(value, PURPOSE), window, late)
                : withSchema(Requirements.requireStruct(value, PURPOSE), window, late);
        Schema schema = updated instanceof Struct struct ? struct.schema() : null;
        Headers headers = record.headers();
        if (late && latePolicy == LatePolicy.FLAG_HEADER) {
            headers = headers.duplicate().addBoolean(flagHeader, true);
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                schema, updated, setTimestamp ? Long.valueOf(eventMs) : record.timestamp(), headers);
    }

    /** Records counted late since this transform started. */
    public long lateRecords() {
        return lateRecords.get();
    }

    private long eventTime(R record, Object value) {
        if (timePath == null) {
            if (record.timestamp() == null) {
                throw new DataException(
                        "Record has no timestamp to assign a window from; set " + TumblingWindowConfig.TIME_FIELD);
            }
            return record.timestamp();
        }
        return EventTimes.toEpochMillis(timePath.valueFrom(value), timePath.toString(), epochUnit);
    }

    private Struct withSchema(Struct input, long[] window, boolean late) {
        Date start = new Date(window[0]);
        Date end = new Date(window[1]);
        return latePolicy == LatePolicy.FLAG_FIELD ? extender.extend(input, start, end, late) : extender.extend(input, start, end);
    }

    private Map<String, Object> schemaless(Map<String, Object> input, long[] window, boolean late) {
        Map<String, Object> output = extender.copy(input);
        output.put(startField, window[0]);
        output.put(endField, window[1]);
        if (latePolicy == LatePolicy.FLAG_FIELD) {
            output.put(flagField, late);
        }
        return output;
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void close() {
    }
}
