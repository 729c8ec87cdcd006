package io.orderflow.sink.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Encodes the records of one Parquet file as the CSV text {@code COPY ... FROM STDIN (FORMAT csv)} reads: each
 * column's encoder (decimal, timestamp, date, time, JSON for nested values, hex for bytes) is chosen once from the
 * file's schema, not per cell. Every value is quoted, so commas, quotes and newlines in text stay in their cell; a
 * null is an unquoted empty cell.
 */
final class PostgresCsvRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Function<Object, String>> encoders;

    PostgresCsvRows(List<Schema.Field> fields) {
        this.encoders = fields.stream().map(f -> encoder(ParquetColumns.nonNull(f.schema()))).toList();
    }

    void append(StringBuilder csv, GenericRecord record) {
        for (int i = 0; i < encoders.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            Object value = record.get(i);
            if (value != null) {
                csv.append('"').append(encoders.get(i).apply(value).replace("\"", "\"\"")).append('"');
            }
        }
        csv.append('\n');
    }

    private static Function<Object, String> encoder(Schema schema) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            Conversions.DecimalConversion conversion = new Conversions.DecimalConversion();
            return value -> value instanceof BigDecimal d ? d.toPlainString()
                    : conversion.fromBytes(bytes(value), schema, decimal).toPlainString();
        }
        if (logical instanceof LogicalTypes.TimestampMillis) {
            return value -> (value instanceof Instant i ? i : Instant.ofEpochMilli((Long) value)).toString();
        }
        if (logical instanceof LogicalTypes.Date) {
            return value -> (value instanceof LocalDate d ? d : LocalDate.ofEpochDay((Integer) value)).toString();
        }
        if (logical instanceof LogicalTypes.TimeMillis) {
            return value -> (value instanceof LocalTime t ? t : LocalTime.ofNanoOfDay((Integer) value * 1_000_000L)).toString();
        }
        return switch (schema.getType()) {
            case RECORD, ARRAY, MAP -> value -> {
                try {
                    return JSON.writeValueAsString(jsonValue(value, schema));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("Cannot write a nested value as JSON", e);
                }
            };
            case BYTES, FIXED -> value -> {
                StringBuilder hex = new StringBuilder("\\x");
                for (byte b : bytes(value).array()) {
                    hex.append(String.format(Locale.ROOT, "%02x", b));
                }
                return hex.toString();
            };
            default -> Object::toString;
        };
    }

    /** A copy of the value's bytes as a buffer that starts at 0 (Avro hands out shared, offset buffers). */
    private static ByteBuffer bytes(Object value) {
        if (value instanceof GenericFixed fixed) {
            return ByteBuffer.wrap(fixed.bytes());
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(copy);
        return ByteBuffer.wrap(copy);
    }

    /** A nested Avro value as plain maps, lists and scalars, for JSONB. */
    private static Object jsonValue(Object value, Schema schema) {
        if (value == null) {
            return null;
        }
        Schema type = ParquetColumns.nonNull(schema);
        return switch (type.getType()) {
            case RECORD -> {
                Map<String, Object> object = new LinkedHashMap<>();
                GenericRecord record = (GenericRecord) value;
                for (Schema.Field field : type.getFields()) {
                    object.put(field.name(), jsonValue(record.get(field.pos()), field.schema()));
                }
                yield object;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (Object element : (Collection<?>) value) {
                    list.add(jsonValue(element, type.getElementType()));
                }
                yield list;
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> map.put(k.toString(), jsonValue(v, type.getValueType())));
                yield map;
            }
            case STRING, ENUM -> value.toString();
            case BYTES, FIXED -> type.getLogicalType() != null ? encoder(type).apply(value)
                    : Base64.getEncoder().encodeToString(Arrays.copyOf(bytes(value).array(), bytes(value).remaining()));
            default -> type.getLogicalType() != null ? encoder(type).apply(value) : value;
        };
    }
}
