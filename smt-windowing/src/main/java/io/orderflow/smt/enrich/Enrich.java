package io.orderflow.smt.enrich;

import io.orderflow.common.metrics.PluginInstruments;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import io.orderflow.common.Version;
import io.orderflow.common.time.DerivedTimes;
import io.orderflow.smt.common.RecordErrors;
import io.orderflow.common.time.EventTimes;
import io.orderflow.common.field.FieldPath;
import io.orderflow.smt.common.StructExtender;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.util.Requirements;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds fields to records: columns from a lookup table keyed by a record field, date/hour strings derived
 * from the event time in a time zone (for partition paths), and constants. New fields are optional strings
 * appended after the existing ones.
 *
 * @param <R> the record type
 */
public abstract class Enrich<R extends ConnectRecord<R>> implements Transformation<R>, Monitorable {

    public static final String OVERVIEW_DOC = "Enriches records: adds columns of a lookup table (CSV or JSON file, "
            + "reloaded when it changes, or inline JSON) keyed by a record field, with defaults for misses; derived "
            + "event date/hour strings in a time zone; and static fields. Use <code>" + Value.class.getName()
            + "</code> for the record value, <code>" + Key.class.getName() + "</code> for the key.";

    public static final ConfigDef CONFIG_DEF = EnrichConfig.CONFIG_DEF;

    private static final String PURPOSE = "enriching records";

    private FieldPath lookupKey;
    private LookupSource lookup;
    private List<String> lookupFields;
    private Map<String, String> lookupDefaults;
    private FieldPath timePath;
    private EventTimes.EpochUnit epochUnit;
    private DerivedTimes derivedTimes;
    private List<String> staticValues;
    private StructExtender extender;
    private List<String> addedNames;
    private PluginInstruments.Counter lookupHits = PluginInstruments.Counter.NONE;
    private PluginInstruments.Counter lookupMisses = PluginInstruments.Counter.NONE;

    @Override
    public void configure(Map<String, ?> props) {
        EnrichConfig config = new EnrichConfig(props);
        lookupKey = config.lookupKeyPath().orElse(null);
        lookup = config.lookupSource().orElse(null);
        lookupFields = lookup == null ? List.of()
                : config.lookupFields().isEmpty() ? lookup.table().columns() : config.lookupFields();
        lookupDefaults = config.lookupDefaults();
        timePath = config.timePath().orElse(null);
        epochUnit = config.epochUnit();
        Map<String, DateTimeFormatter> timeFields = config.timeFields();
        derivedTimes = new DerivedTimes(new ArrayList<>(timeFields.values()), config.timePatterns(), config.timeZone());
        Map<String, String> statics = config.staticFields();
        staticValues = new ArrayList<>(statics.values());

        LinkedHashMap<String, Schema> added = new LinkedHashMap<>();
        for (String name : lookupFields) {
            added.put(name, Schema.OPTIONAL_STRING_SCHEMA);
        }
        for (String name : timeFields.keySet()) {
            added.put(name, Schema.OPTIONAL_STRING_SCHEMA);
        }
        for (String name : statics.keySet()) {
            added.put(name, Schema.OPTIONAL_STRING_SCHEMA);
        }
        extender = new StructExtender(added);
        addedNames = List.copyOf(added.keySet());
    }

    @Override
    public void withPluginMetrics(PluginMetrics metrics) {
        PluginInstruments instruments = PluginInstruments.of(metrics);
        lookupHits = instruments.counter("lookup-hits-total", "Records whose key the lookup table holds");
        lookupMisses = instruments.counter("lookup-misses-total",
                "Records whose key is missing or not in the lookup table; they get lookup.defaults");
    }

    @Override
    public R apply(R record) {
        try {
            return enrich(record);
        } catch (DataException e) {
            throw RecordErrors.named(record, e);
        }
    }

    private R enrich(R record) {
        Object value = operatingValue(record);
        if (value == null) {
            return record;
        }
        String[] additions = additions(record, value);
        if (operatingSchema(record) == null) {
            Map<String, Object> output = extender.copy(Requirements.requireMap(value, PURPOSE));
            for (int i = 0; i < additions.length; i++) {
                output.put(addedNames.get(i), additions[i]);
            }
            return newRecord(record, null, output);
        }
        Struct output = extender.extend(Requirements.requireStruct(value, PURPOSE), (Object[]) additions);
        return newRecord(record, output.schema(), output);
    }

    /** The values of the added fields, in {@link #addedNames} order. */
    private String[] additions(R record, Object value) {
        String[] values = new String[addedNames.size()];
        int i = 0;
        if (lookup != null) {
            Object keyValue = lookupKey.valueFrom(value);
            Map<String, String> row = keyValue == null || keyValue == FieldPath.MISSING ? null
                    : lookup.table().row(keyValue instanceof String s ? s : String.valueOf(keyValue));
            (row != null ? lookupHits : lookupMisses).increment();
            for (String column : lookupFields) {
                values[i++] = row != null ? row.get(column) : lookupDefaults.get(column);
            }
        }
        if (derivedTimes.count() > 0) {
            long eventTime = eventTime(record, value);
            for (String formatted : derivedTimes.format(eventTime)) {
                values[i++] = formatted;
            }
        }
        for (String constant : staticValues) {
            values[i++] = constant;
        }
        return values;
    }

    private long eventTime(R record, Object value) {
        if (timePath == null) {
            if (record.timestamp() == null) {
                throw new DataException("Record has no timestamp to derive time fields from; set event.time.field");
            }
            return record.timestamp();
        }
        return EventTimes.toEpochMillis(timePath.valueFrom(value), timePath.toString(), epochUnit);
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

    protected abstract Schema operatingSchema(R record);

    protected abstract Object operatingValue(R record);

    protected abstract R newRecord(R record, Schema updatedSchema, Object updatedValue);

    /** Enriches the record key. */
    public static class Key<R extends ConnectRecord<R>> extends Enrich<R> {
        @Override
        protected Schema operatingSchema(R record) {
            return record.keySchema();
        }

        @Override
        protected Object operatingValue(R record) {
            return record.key();
        }

        @Override
        protected R newRecord(R record, Schema updatedSchema, Object updatedValue) {
            return record.newRecord(record.topic(), record.kafkaPartition(), updatedSchema, updatedValue,
                    record.valueSchema(), record.value(), record.timestamp(), record.headers());
        }
    }

    /** Enriches the record value. */
    public static class Value<R extends ConnectRecord<R>> extends Enrich<R> {
        @Override
        protected Schema operatingSchema(R record) {
            return record.valueSchema();
        }

        @Override
        protected Object operatingValue(R record) {
            return record.value();
        }

        @Override
        protected R newRecord(R record, Schema updatedSchema, Object updatedValue) {
            return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                    updatedSchema, updatedValue, record.timestamp(), record.headers());
        }
    }
}
