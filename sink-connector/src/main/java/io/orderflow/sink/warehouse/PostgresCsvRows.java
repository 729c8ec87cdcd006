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
            case RECORD, ARRAY, MAP -> {
                Function<Object, Object> json = jsonValue(schema);
                yield value -> {
                    try {
                        return JSON.writeValueAsString(json.apply(value));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("Cannot write a nested value as JSON", e);
                    }
                };
            }
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

    /**
     * Converts a nested Avro value to plain maps, lists and scalars for JSONB, built once per schema: each field's
     * converter (a Decimal's conversion included) is resolved here, not per value.
     */
    private static Function<Object, Object> jsonValue(Schema schema) {
        Schema type = ParquetColumns.nonNull(schema);
        Function<Object, Object> convert = switch (type.getType()) {
            case RECORD -> {
                List<Schema.Field> fields = type.getFields();
                List<Function<Object, Object>> converters = fields.stream().map(f -> jsonValue(f.schema())).toList();
                yield value -> {
                    Map<String, Object> object = new LinkedHashMap<>();
                    GenericRecord record = (GenericRecord) value;
                    for (int i = 0; i < fields.size(); i++) {
                        object.put(fields.get(i).name(), converters.get(i).apply(record.get(fields.get(i).pos())));
                    }
                    return object;
                };
            }
            case ARRAY -> {
                Function<Object, Object> element = jsonValue(type.getElementType());
                yield value -> {
                    List<Object> list = new ArrayList<>();
                    for (Object item : (Collection<?>) value) {
                        list.add(element.apply(item));
                    }
                    return list;
                };
            }
            case MAP -> {
                Function<Object, Object> entry = jsonValue(type.getValueType());
                yield value -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    ((Map<?, ?>) value).forEach((k, v) -> map.put(k.toString(), entry.apply(v)));
                    return map;
                };
            }
            case STRING, ENUM -> Object::toString;
            case BYTES, FIXED -> {
                if (type.getLogicalType() != null) {
                    Function<Object, String> logical = encoder(type);
                    yield logical::apply;
                }
                yield value -> {
                    ByteBuffer bytes = bytes(value);
                    return Base64.getEncoder().encodeToString(Arrays.copyOf(bytes.array(), bytes.remaining()));
                };
            }
            default -> {
                if (type.getLogicalType() != null) {
                    Function<Object, String> logical = encoder(type);
                    yield logical::apply;
                }
                yield Function.identity();
            }
        };
        return value -> value == null ? null : convert.apply(value);
    }
}
