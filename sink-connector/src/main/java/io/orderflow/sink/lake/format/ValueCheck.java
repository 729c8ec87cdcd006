package io.orderflow.sink.lake.format;

import io.orderflow.sink.WarehouseTimes;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a value against the schema of the file it is about to be written into, before any Parquet writer sees
 * it. Connect itself enforces Java types and required fields when a converter builds a {@link Struct}, but not a
 * Decimal's declared precision ({@code connect.decimal.precision}) or scale, and not what the file's readers accept:
 * a value too wide for its column makes the whole file unreadable (DuckDB: "Invalid decimal encoding"), one with
 * more places than its scale cannot be encoded at all, a time past the year 9999 is refused by every warehouse,
 * and a NUL character is refused by PostgreSQL text. A value
 * that passes here can be encoded and read back; one that fails is reported with the field's path, and no writer
 * has been touched, so the open file stays intact.
 *
 * <p>The check is compiled once per schema: only the fields that can fail are visited per record.
 */
public final class ValueCheck {

    /** The widest DECIMAL Parquet readers (DuckDB, Snowflake, Spark) accept. */
    static final int MAX_READABLE_PRECISION = 38;
    /** What AvroData declares in the file for a Decimal without {@code connect.decimal.precision}. */
    private static final int UNDECLARED_PRECISION = 64;

    /** What the file's readers accept beyond the Connect schema: a warehouse may refuse more than Parquet does. */
    public record Limits(boolean nulCharactersAllowed) {
        /** Parquet and the warehouses that read it as binary strings (DuckDB, Snowflake). */
        public static final Limits PARQUET = new Limits(true);
        /** PostgreSQL text, which cannot hold U+0000. */
        public static final Limits POSTGRESQL_TEXT = new Limits(false);
    }

    @FunctionalInterface
    private interface Node {
        /** @throws DataException naming the node's field path when the value does not fit */
        void check(Object value);
    }

    private final Node root;

    private ValueCheck(Node root) {
        this.root = root;
    }

    public static ValueCheck of(Schema schema, Limits limits) {
        Node node = compile(schema, limits, "");
        return new ValueCheck(node == null ? value -> { } : node);
    }

    /** @throws DataException naming the field and what is wrong with its value */
    public void check(Struct value) {
        root.check(value);
    }

    /**
     * The checks of the schemas a task meets, compiled once each. Converters hand out one schema instance per
     * schema version, so the lookup is by identity, and the last schema is kept apart: batches rarely switch.
     */
    public static final class Cache {
        private static final int MAX_SCHEMAS = 256;

        private final Limits limits;
        private final Map<Schema, ValueCheck> bySchema = new IdentityHashMap<>();
        private Schema lastSchema;
        private ValueCheck lastCheck;

        public Cache(Limits limits) {
            this.limits = limits;
        }

        /** @throws DataException naming the field and what is wrong with its value */
        public void check(Struct value) {
            Schema schema = value.schema();
            if (schema != lastSchema) {
                if (bySchema.size() >= MAX_SCHEMAS) {
                    bySchema.clear();
                }
                lastCheck = bySchema.computeIfAbsent(schema, s -> of(s, limits));
                lastSchema = schema;
            }
            lastCheck.check(value);
        }
    }

    /**
     * The check of one schema, or null when no value of it can fail (nothing to visit per record).
     *
     * @param path the field's path in messages, fixed here so that no string is built per record
     */
    private static Node compile(Schema schema, Limits limits, String path) {
        if (Decimal.LOGICAL_NAME.equals(schema.name())) {
            return decimal(schema, path);
        }
        if (Timestamp.LOGICAL_NAME.equals(schema.name()) || Date.LOGICAL_NAME.equals(schema.name())) {
            return value -> {
                long millis = ((java.util.Date) value).getTime();
                if (!WarehouseTimes.holds(millis)) {
                    throw new DataException("field '" + path + "' = " + java.time.Instant.ofEpochMilli(millis) + " is outside "
                            + "the years 1 to 9999 that warehouse timestamp and date columns hold");
                }
            };
        }
        return switch (schema.type()) {
            case STRUCT -> struct(schema, limits, path);
            case ARRAY -> array(schema, limits, path);
            case MAP -> map(schema, limits, path);
            case STRING -> limits.nulCharactersAllowed() ? null : value -> {
                if (((String) value).indexOf('\u0000') >= 0) {
                    throw new DataException("field '" + path + "' contains a NUL character (U+0000), which the "
                            + "warehouse's text columns cannot hold");
                }
            };
            default -> null;
        };
    }

    private static Node struct(Schema schema, Limits limits, String path) {
        List<Field> fields = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        List<Boolean> required = new ArrayList<>();
        for (Field field : schema.fields()) {
            Node node = compile(field.schema(), limits, path.isEmpty() ? field.name() : path + "." + field.name());
            boolean isRequired = !field.schema().isOptional();
            if (node != null || isRequired) {
                fields.add(field);
                nodes.add(node);
                required.add(isRequired);
            }
        }
        if (fields.isEmpty()) {
            return null;
        }
        Field[] checked = fields.toArray(Field[]::new);
        Node[] children = nodes.toArray(Node[]::new);
        boolean[] mustBeSet = new boolean[checked.length];
        for (int i = 0; i < mustBeSet.length; i++) {
            mustBeSet[i] = required.get(i);
        }
        return value -> {
            Struct struct = (Struct) value;
            for (int i = 0; i < checked.length; i++) {
                Object child = struct.get(checked[i]);
                if (child == null) {
                    if (mustBeSet[i]) {
                        throw new DataException("field '" + (path.isEmpty() ? "" : path + ".") + checked[i].name()
                                + "' is required but null");
                    }
                } else if (children[i] != null) {
                    children[i].check(child);
                }
            }
        };
    }

    private static Node array(Schema schema, Limits limits, String path) {
        Node element = compile(schema.valueSchema(), limits, path + "[]");
        boolean required = !schema.valueSchema().isOptional();
        if (element == null && !required) {
            return null;
        }
        return value -> {
            for (Object item : (List<?>) value) {
                if (item == null) {
                    if (required) {
                        throw new DataException("field '" + path + "[]' has a null element, but its elements are required");
                    }
                } else if (element != null) {
                    element.check(item);
                }
            }
        };
    }

    private static Node map(Schema schema, Limits limits, String path) {
        Node key = compile(schema.keySchema(), limits, path + "{key}");
        Node entry = compile(schema.valueSchema(), limits, path + "{value}");
        if (key == null && entry == null) {
            return null;
        }
        return value -> {
            for (Map.Entry<?, ?> item : ((Map<?, ?>) value).entrySet()) {
                if (key != null && item.getKey() != null) {
                    key.check(item.getKey());
                }
                if (entry != null && item.getValue() != null) {
                    entry.check(item.getValue());
                }
            }
        };
    }

    private static Node decimal(Schema schema, String path) {
        int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
        String declared = schema.parameters().get("connect.decimal.precision");
        int precision = declared == null ? UNDECLARED_PRECISION : Integer.parseInt(declared);
        String type = "Decimal(" + precision + "," + scale + ")";
        if (precision > MAX_READABLE_PRECISION) {
            String why = declared == null ? "declares no connect.decimal.precision, so the file would declare precision "
                    + UNDECLARED_PRECISION : "declares precision " + precision;
            return value -> {
                throw new DataException("field '" + path + "' " + why + ", more than the " + MAX_READABLE_PRECISION
                        + " digits Parquet readers accept; declare connect.decimal.precision <= " + MAX_READABLE_PRECISION
                        + " in the record schema");
            };
        }
        return value -> {
            BigDecimal number = (BigDecimal) value;
            BigDecimal scaled;
            try {
                scaled = number.scale() == scale ? number : number.setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                throw new DataException("field '" + path + "' = " + number.toPlainString() + " has " + number.scale()
                        + " decimal places, more than the scale of its " + type + " column");
            }
            if (scaled.precision() > precision) {
                throw new DataException("field '" + path + "' = " + number.toPlainString() + " has " + scaled.precision()
                        + " digits, more than the precision of its " + type + " column");
            }
        };
    }
}
