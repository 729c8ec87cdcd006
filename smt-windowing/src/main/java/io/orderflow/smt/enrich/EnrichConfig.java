package io.orderflow.smt.enrich;

import io.orderflow.common.config.Choices;
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

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Options of the {@link Enrich} transform, with typed accessors. */
final class EnrichConfig {

    private static final String LOOKUP_GROUP = "Lookup";
    private static final String TIME_GROUP = "Derived time fields";
    private static final String STATIC_GROUP = "Static fields";

    static final String LOOKUP_KEY_FIELD = "lookup.key.field";
    static final String LOOKUP_FILE = "lookup.file";
    static final String LOOKUP_INLINE = "lookup.inline";
    static final String LOOKUP_KEY_COLUMN = "lookup.key.column";
    static final String LOOKUP_FIELDS = "lookup.fields";
    static final String LOOKUP_DEFAULTS = "lookup.defaults";
    static final String LOOKUP_RELOAD_INTERVAL_MS = "lookup.reload.interval.ms";
    static final String TIME_FIELD = "event.time.field";
    static final String TIME_EPOCH_UNIT = "event.time.epoch.unit";
    static final String TIME_ZONE = "time.zone";
    static final String TIME_FIELDS = "time.fields";
    static final String STATIC_FIELDS = "static.fields";

    static final ConfigDef CONFIG_DEF = Choices.recommended(FieldPath.defineSyntaxVersion(new ConfigDef()
            .define(LOOKUP_KEY_FIELD, Type.STRING, "", Importance.HIGH,
                    "Record field whose value is looked up, e.g. customer_id. Empty: no lookup.",
                    LOOKUP_GROUP, 1, Width.MEDIUM, "Lookup key field")
            .define(LOOKUP_FILE, Type.STRING, "", Importance.HIGH,
                    "Path of the lookup table on the worker: .csv (header row; the key column first unless "
                            + LOOKUP_KEY_COLUMN + " names it) or .json (an object of key -> {column: value}, or an array "
                            + "of objects with the key column). Reloaded when it changes.",
                    LOOKUP_GROUP, 2, Width.LONG, "Lookup file")
            .define(LOOKUP_INLINE, Type.STRING, "", Importance.MEDIUM,
                    "The lookup table inline, as JSON: {\"cust-1\": {\"customer_tier\": \"gold\"}}. Use instead of "
                            + LOOKUP_FILE + " for small tables.",
                    LOOKUP_GROUP, 3, Width.LONG, "Inline lookup table")
            .define(LOOKUP_KEY_COLUMN, Type.STRING, "", Importance.LOW,
                    "Column holding the key in a CSV file or JSON array; default: the first CSV column.",
                    LOOKUP_GROUP, 4, Width.SHORT, "Key column")
            .define(LOOKUP_FIELDS, Type.LIST, "", Importance.MEDIUM,
                    "Columns to add as fields (optional strings), in this order; default: every column of the table "
                            + "as first loaded.",
                    LOOKUP_GROUP, 5, Width.LONG, "Lookup fields")
            .define(LOOKUP_DEFAULTS, Type.LIST, "", new NameValueList("column=value"), Importance.MEDIUM,
                    "Values for keys the table does not have (and null keys), as column=value entries, e.g. "
                            + "customer_tier=unknown,region=unknown; columns without a default become null.",
                    LOOKUP_GROUP, 6, Width.LONG, "Defaults on a miss")
            .define(LOOKUP_RELOAD_INTERVAL_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "How often to check the lookup file for changes; 0 loads it once.",
                    LOOKUP_GROUP, 7, Width.SHORT, "Reload check interval (ms)")
            .define(TIME_FIELD, Type.STRING, "", Importance.MEDIUM,
                    "Field with the event time for the derived time fields (Timestamp, epoch number or ISO-8601 "
                            + "string); empty: the record timestamp.",
                    TIME_GROUP, 1, Width.MEDIUM, "Event time field")
            .define(TIME_EPOCH_UNIT, Type.STRING, "millis", Choices.of("millis", "seconds"),
                    Importance.LOW, "Unit of a numeric event time field: millis or seconds.",
                    TIME_GROUP, 2, Width.SHORT, "Epoch unit")
            .define(TIME_ZONE, Type.STRING, "UTC", new ZoneValidator(), Importance.MEDIUM,
                    "Time zone the derived time fields are written in, e.g. UTC or Europe/Berlin.",
                    TIME_GROUP, 3, Width.SHORT, "Time zone")
            .define(TIME_FIELDS, Type.LIST, "", new TimeFieldsValidator(), Importance.MEDIUM,
                    "Derived string fields as name:pattern entries (java.time patterns), e.g. "
                            + "event_date:yyyy-MM-dd,event_hour:HH for dt=/hr= partitioning.",
                    TIME_GROUP, 4, Width.LONG, "Derived time fields")
            .define(STATIC_FIELDS, Type.LIST, "", new NameValueList("name=value"), Importance.LOW,
                    "Constant string fields as name=value entries, e.g. pipeline=orderflow.",
                    STATIC_GROUP, 1, Width.LONG, "Static fields"), LOOKUP_GROUP, 8));

    private final SimpleConfig config;

    EnrichConfig(Map<String, ?> props) {
        config = new SimpleConfig(CONFIG_DEF, props);
        boolean hasKey = !lookupKeyField().isEmpty();
        boolean hasFile = !lookupFile().isEmpty();
        boolean hasInline = !config.getString(LOOKUP_INLINE).isEmpty();
        if (hasFile && hasInline) {
            throw new ConfigException(LOOKUP_INLINE, "(set)", "set either " + LOOKUP_FILE + " or " + LOOKUP_INLINE + ", not both");
        }
        if (hasKey != (hasFile || hasInline)) {
            throw new ConfigException(LOOKUP_KEY_FIELD, lookupKeyField(), hasKey
                    ? "a lookup key field needs a table: set " + LOOKUP_FILE + " or " + LOOKUP_INLINE
                    : "a lookup table needs " + LOOKUP_KEY_FIELD + " to name the record field to look up");
        }
    }

    FieldSyntaxVersion syntax() {
        return FieldSyntaxVersion.fromConfig(config);
    }

    String lookupKeyField() {
        return config.getString(LOOKUP_KEY_FIELD);
    }

    Optional<FieldPath> lookupKeyPath() {
        return lookupKeyField().isEmpty() ? Optional.empty() : Optional.of(FieldPath.parse(lookupKeyField(), syntax()));
    }

    String lookupFile() {
        return config.getString(LOOKUP_FILE);
    }

    /** The table source, loaded now: a ConfigException names the option when it cannot be read. */
    Optional<LookupSource> lookupSource() {
        String keyColumn = config.getString(LOOKUP_KEY_COLUMN);
        if (!lookupFile().isEmpty()) {
            return Optional.of(LookupSource.file(lookupFile(), keyColumn, config.getLong(LOOKUP_RELOAD_INTERVAL_MS),
                    LOOKUP_FILE, System::nanoTime));
        }
        String inline = config.getString(LOOKUP_INLINE);
        return inline.isEmpty() ? Optional.empty() : Optional.of(LookupSource.inline(inline, keyColumn, LOOKUP_INLINE));
    }

    List<String> lookupFields() {
        return config.getList(LOOKUP_FIELDS);
    }

    Map<String, String> lookupDefaults() {
        return NameValueList.toMap(config.getList(LOOKUP_DEFAULTS));
    }

    Optional<FieldPath> timePath() {
        String field = config.getString(TIME_FIELD);
        return field.isEmpty() ? Optional.empty() : Optional.of(FieldPath.parse(field, syntax()));
    }

    EventTimes.EpochUnit epochUnit() {
        return EventTimes.EpochUnit.fromConfig(config.getString(TIME_EPOCH_UNIT));
    }

    ZoneId timeZone() {
        return ZoneId.of(config.getString(TIME_ZONE));
    }

    /** name → formatter, in order. */
    Map<String, DateTimeFormatter> timeFields() {
        Map<String, DateTimeFormatter> fields = new LinkedHashMap<>();
        for (String entry : config.getList(TIME_FIELDS)) {
            int colon = entry.indexOf(':');
            fields.put(entry.substring(0, colon).trim(), DateTimeFormatter.ofPattern(entry.substring(colon + 1)).withZone(timeZone()));
        }
        return fields;
    }

    /** Patterns of the derived time fields, for choosing how long a formatted value stays valid. */
    List<String> timePatterns() {
        return config.getList(TIME_FIELDS).stream().map(e -> e.substring(e.indexOf(':') + 1)).toList();
    }

    Map<String, String> staticFields() {
        return NameValueList.toMap(config.getList(STATIC_FIELDS));
    }

    /** Lists of name=value entries. */
    static final class NameValueList implements ConfigDef.Validator {
        private final String form;

        NameValueList(String form) {
            this.form = form;
        }

        static Map<String, String> toMap(List<String> entries) {
            Map<String, String> map = new LinkedHashMap<>();
            for (String entry : entries) {
                int eq = entry.indexOf('=');
                map.put(entry.substring(0, eq).trim(), entry.substring(eq + 1));
            }
            return map;
        }

        @Override
        public void ensureValid(String name, Object value) {
            for (Object entry : (List<?>) value) {
                String text = String.valueOf(entry);
                if (text.indexOf('=') <= 0) {
                    throw new ConfigException(name, value, "entry '" + text + "' is not of the form " + form);
                }
            }
        }

        @Override
        public String toString() {
            return "a list of " + form + " entries";
        }
    }


    private static final class TimeFieldsValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            for (Object entry : (List<?>) value) {
                String text = String.valueOf(entry);
                int colon = text.indexOf(':');
                if (colon <= 0 || colon == text.length() - 1) {
                    throw new ConfigException(name, value, "entry '" + text + "' is not of the form name:pattern");
                }
                try {
                    DateTimeFormatter.ofPattern(text.substring(colon + 1));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, "entry '" + text + "': bad pattern: " + e.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "a list of name:pattern entries, e.g. event_date:yyyy-MM-dd";
        }
    }
}
