package io.orderflow.sink.aggregate.state;

import io.orderflow.common.field.FieldPath;
import io.orderflow.common.time.EventTimes;
import io.orderflow.sink.RecordCoordinates;
import io.orderflow.sink.WarehouseTimes;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Reads fields of a record value (Struct or Map, KIP-821 paths) with errors that name the field and the record. */
final class RecordFields {

    /** The precision of the summary's decimal columns (DECIMAL(38, s) on every warehouse). */
    static final int SUMMARY_PRECISION = 38;

    private RecordFields() {
    }

    static String where(SinkRecord record) {
        return RecordCoordinates.of(record);
    }

    /** The field's value, or null when it is missing or null. */
    static Object get(SinkRecord record, FieldPath path) {
        Object value = path.valueFrom(record.value());
        return value == FieldPath.MISSING ? null : value;
    }

    /**
     * An event time or window bound, read as the window transform and the lake read event times (Timestamp, epoch
     * millis, ISO-8601), within the years the summary's timestamp columns hold.
     */
    static long millis(SinkRecord record, FieldPath path) {
        long millis;
        try {
            millis = EventTimes.toEpochMillis(path.valueFrom(record.value()), path.toString(), EventTimes.EpochUnit.MILLIS);
        } catch (DataException e) {
            throw new DataException("Record " + where(record) + ": " + e.getMessage(), e);
        }
        if (!WarehouseTimes.holds(millis)) {
            throw new DataException("Record " + where(record) + ": field '" + path + "' = " + millis + " ms is outside the "
                    + "years 1 to 9999 that warehouse timestamp columns hold");
        }
        return millis;
    }

    /** A number at the summary's scale: exact for decimals and integers (more places is an error), rounded for floats. */
    static BigDecimal decimal(SinkRecord record, DecimalField field, int scale) {
        FieldPath path = field.path();
        Object value = get(record, path);
        if (value == null) {
            return null;
        }
        BigDecimal number;
        if (value instanceof BigDecimal d) {
            number = d;
            checkDeclaredPrecision(record, field, d);
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
    private static void checkDeclaredPrecision(SinkRecord record, DecimalField field, BigDecimal value) {
        if (value.precision() - value.scale() > field.maxIntegerDigits(record.valueSchema())) {
            throw new DataException("Record " + where(record) + ": field '" + field.path() + "' = " + value.toPlainString()
                    + " has more digits than its " + field.declaredType() + " schema declares");
        }
    }

    /**
     * A group-by value as text. U+0000 is refused on every warehouse, so a summary does not depend on where it is
     * written: PostgreSQL text cannot hold it, and the whole flush transaction would fail on it.
     */
    static String text(SinkRecord record, FieldPath path) {
        Object value = get(record, path);
        String text = value == null ? "" : value.toString();
        if (text.indexOf('\u0000') >= 0) {
            throw new DataException("Record " + where(record) + ": group-by field '" + path + "' contains a NUL "
                    + "character (U+0000), which warehouse text columns cannot hold");
        }
        return text;
    }
}
