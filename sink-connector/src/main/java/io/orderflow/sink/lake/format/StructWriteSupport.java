package io.orderflow.sink.lake.format;

import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes flat Connect structs (primitive and logical fields, no nesting) straight into Parquet, skipping the
 * Avro {@code GenericRecord} the Avro path builds per record. The file schema is the one parquet-avro derives from
 * the same Avro schema, and the Avro schema goes into the footer, so the files are identical in type and readable
 * by the same readers as the Avro path's.
 */
final class StructWriteSupport extends WriteSupport<Struct> {

    private static final String AVRO_SCHEMA_KEY = "parquet.avro.schema";
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final MessageType parquetSchema;
    private final String avroSchemaJson;
    private final List<Field> fields;
    private final Kind[] kinds;
    /** Decimal scales by field position, read from the schema parameters once. */
    private final int[] scales;
    private RecordConsumer consumer;

    private enum Kind { INT, LONG, FLOAT, DOUBLE, BOOLEAN, STRING, BYTES, DECIMAL, TIMESTAMP, DATE, TIME }

    StructWriteSupport(Schema connectSchema, MessageType parquetSchema, String avroSchemaJson) {
        this.parquetSchema = parquetSchema;
        this.avroSchemaJson = avroSchemaJson;
        this.fields = connectSchema.fields();
        this.kinds = new Kind[fields.size()];
        this.scales = new int[fields.size()];
        for (int i = 0; i < kinds.length; i++) {
            Schema schema = fields.get(i).schema();
            kinds[i] = kindOf(schema);
            if (kinds[i] == Kind.DECIMAL) {
                scales[i] = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
            }
        }
    }

    /** Whether every field is a primitive or logical type this write support handles. */
    static boolean supports(Schema schema) {
        return schema.type() == Schema.Type.STRUCT && schema.fields().stream().allMatch(f -> kindOf(f.schema()) != null);
    }

    private static Kind kindOf(Schema schema) {
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            return Kind.DECIMAL;
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return Kind.TIMESTAMP;
        }
        if (Date.LOGICAL_NAME.equals(logical)) {
            return Kind.DATE;
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return Kind.TIME;
        }
        return switch (schema.type()) {
            case INT8, INT16, INT32 -> Kind.INT;
            case INT64 -> Kind.LONG;
            case FLOAT32 -> Kind.FLOAT;
            case FLOAT64 -> Kind.DOUBLE;
            case BOOLEAN -> Kind.BOOLEAN;
            case STRING -> Kind.STRING;
            case BYTES -> Kind.BYTES;
            default -> null;
        };
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return context();
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return context();
    }

    private WriteContext context() {
        return new WriteContext(parquetSchema, Map.of(AVRO_SCHEMA_KEY, avroSchemaJson));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(Struct struct) {
        consumer.startMessage();
        for (int i = 0; i < kinds.length; i++) {
            Field field = fields.get(i);
            Object value = struct.get(field);
            if (value == null) {
                continue;
            }
            consumer.startField(field.name(), i);
            writeValue(kinds[i], scales[i], value);
            consumer.endField(field.name(), i);
        }
        consumer.endMessage();
    }

    private void writeValue(Kind kind, int scale, Object value) {
        switch (kind) {
            case INT -> consumer.addInteger(((Number) value).intValue());
            case LONG -> consumer.addLong((Long) value);
            case FLOAT -> consumer.addFloat((Float) value);
            case DOUBLE -> consumer.addDouble((Double) value);
            case BOOLEAN -> consumer.addBoolean((Boolean) value);
            // Bytes, not Binary.fromString: the dictionary's hash lookups, a quarter of the encoding in a profile,
            // compare and hash its ByteBuffer-backed values byte by byte through the buffer; with arrays a record
            // took 10-15 % less CPU to encode (BENCHMARKS.md, issue 16).
            case STRING -> consumer.addBinary(Binary.fromConstantByteArray(((String) value).getBytes(StandardCharsets.UTF_8)));
            case BYTES -> consumer.addBinary(value instanceof ByteBuffer buffer
                    ? Binary.fromReusedByteBuffer(buffer) : Binary.fromConstantByteArray((byte[]) value));
            case DECIMAL -> consumer.addBinary(Binary.fromConstantByteArray(((BigDecimal) value).setScale(scale).unscaledValue().toByteArray()));
            case TIMESTAMP -> consumer.addLong(((java.util.Date) value).getTime());
            case DATE -> consumer.addInteger((int) Math.floorDiv(((java.util.Date) value).getTime(), MILLIS_PER_DAY));
            case TIME -> consumer.addInteger((int) Math.floorMod(((java.util.Date) value).getTime(), MILLIS_PER_DAY));
        }
    }
}
