package io.orderflow.sink.aggregate.state;

import io.orderflow.sink.RecordCoordinates;
import io.orderflow.sink.WarehouseTimes;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Date;
import java.util.Map;

/** Reads fields of a record value (Struct or Map, dotted paths) with errors that name the field and the record. */
final class RecordFields {

    /** The precision of the summary's decimal columns (DECIMAL(38, s) on every warehouse). */
    static final int SUMMARY_PRECISION = 38;

    private RecordFields() {
    }

    static String where(SinkRecord record) {
        return RecordCoordinates.of(record);
    }

    /** The field's value, or null when it is missing or null. */
    static Object get(SinkRecord record, String path) {
        Object current = record.value();
        for (String part : path.split("\\.")) {
            if (current == null) {
                return null;
            }
            if (current instanceof Struct struct) {
                Field field = struct.schema().field(part);
                current = field == null ? null : struct.get(field);
            } else if (current instanceof Map<?, ?> map) {
                current = map.get(part);
            } else {
                throw new DataException("Record " + where(record) + ": cannot read field '" + path + "' from a "
                        + current.getClass().getSimpleName());
            }
        }
        return current;
    }

    /** An event time or window bound, within the years the summary's timestamp columns hold. */
    static long millis(SinkRecord record, String path) {
        long millis = anyMillis(record, path);
        if (!WarehouseTimes.holds(millis)) {
            throw new DataException("Record " + where(record) + ": field '" + path + "' = " + millis + " ms is outside the "
                    + "years 1 to 9999 that warehouse timestamp columns hold");
        }
        return millis;
    }

    private static long anyMillis(SinkRecord record, String path) {
        Object value = get(record, path);
        if (value instanceof Date date) {
            return date.getTime();
        }
        if (value instanceof Long || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        if (value instanceof String text) {
            // ISO-8601, as the window transform and the lake sink read event times.
            try {
                return java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                throw new DataException("Record " + where(record) + ": field '" + path + "' is not an ISO-8601 time: '"
                        + text + "'");
            }
        }
        throw new DataException("Record " + where(record) + ": field '" + path + "' must be a Timestamp, epoch millis or ISO-8601, "
                + "but is " + (value == null ? "missing" : value.getClass().getSimpleName() + " " + value));
    }

    /** A number at the summary's scale: exact for decimals and integers (more places is an error), rounded for floats. */
    static BigDecimal decimal(SinkRecord record, String path, int scale) {
        Object value = get(record, path);
        if (value == null) {
            return null;
        }
        BigDecimal number;
        if (value instanceof BigDecimal d) {
            number = d;
            checkDeclaredPrecision(record, path, d);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            number = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            return BigDecimal.valueOf(((Number) value).doubleValue()).setScale(scale, RoundingMode.HALF_EVEN);
        } else if (value instanceof String text) {
            try {
                number = new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                throw new DataException("Record " + where(record) + ": field '" + path + "' is not a number: '" + text + "'");
            }
        } else {
            throw new DataException("Record " + where(record) + ": field '" + path + "' must be a number, but is "
                    + value.getClass().getSimpleName());
        }
        BigDecimal scaled;
        try {
            scaled = number.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new DataException("Record " + where(record) + ": field '" + path + "' = " + number.toPlainString()
                    + " has more than " + scale + " decimal places (aggregate.decimal.scale)");
        }
        if (scaled.precision() > SUMMARY_PRECISION) {
            throw new DataException("Record " + where(record) + ": field '" + path + "' = " + number.toPlainString()
                    + " has more digits than the summary's DECIMAL(" + SUMMARY_PRECISION + ", " + scale + ") columns hold");
        }
        return scaled;
    }

    /**
     * A Decimal must fit the precision its own schema declares ({@code connect.decimal.precision}), which Connect does
     * not enforce: the lake refuses such a record for the same reason, and the summary must agree with the raw table.
     */
    private static void checkDeclaredPrecision(SinkRecord record, String path, BigDecimal value) {
        Schema schema = record.valueSchema();
        for (String part : path.split("\\.")) {
            if (schema == null || schema.type() != Schema.Type.STRUCT || schema.field(part) == null) {
                return;
            }
            schema = schema.field(part).schema();
        }
        String declared = schema.parameters() == null ? null : schema.parameters().get("connect.decimal.precision");
        String scale = schema.parameters() == null ? null : schema.parameters().get(Decimal.SCALE_FIELD);
        if (declared == null || scale == null) {
            return;
        }
        int precision = Integer.parseInt(declared);
        int integerDigits = value.precision() - value.scale();
        if (integerDigits > precision - Integer.parseInt(scale)) {
            throw new DataException("Record " + where(record) + ": field '" + path + "' = " + value.toPlainString()
                    + " has more digits than its Decimal(" + precision + "," + scale + ") schema declares");
        }
    }

    /**
     * A group-by value as text. U+0000 is refused on every warehouse, so a summary does not depend on where it is
     * written: PostgreSQL text cannot hold it, and the whole flush transaction would fail on it.
     */
    static String text(SinkRecord record, String path) {
        Object value = get(record, path);
        String text = value == null ? "" : value.toString();
        if (text.indexOf('\u0000') >= 0) {
            throw new DataException("Record " + where(record) + ": group-by field '" + path + "' contains a NUL "
                    + "character (U+0000), which warehouse text columns cannot hold");
        }
        return text;
    }
}
