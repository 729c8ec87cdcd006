package io.orderflow.sink.lake;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import io.orderflow.sink.lake.format.LocalParquetFile;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalParquetFileTest {

    private static final Schema ADDRESS = SchemaBuilder.struct().name("Address").optional()
            .field("city", Schema.STRING_SCHEMA).build();
    private static final Schema SCHEMA = SchemaBuilder.struct().name("io.orderflow.OrderEvent").version(1)
            .field("order_id", Schema.STRING_SCHEMA)
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "18").build())
            .field("event_time", Timestamp.SCHEMA)
            .field("ship_date", Date.builder().optional().build())
            .field("quantity", Schema.OPTIONAL_INT32_SCHEMA)
            .field("paid", Schema.BOOLEAN_SCHEMA)
            .field("weight", Schema.FLOAT64_SCHEMA)
            .field("address", ADDRESS)
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .field("attributes", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build())
            .build();

    @TempDir
    Path dir;

    private LocalParquetFile writer(Path file, String codec) {
        LakeSinkConfig config = new LakeSinkConfig(Map.of("store.url", "file:///tmp/x", "parquet.compression", codec));
        return new LocalParquetFile(file, SCHEMA, new AvroData(16), config.file());
    }

    private static Struct order(String id, String amount, Integer quantity) {
        return new Struct(SCHEMA)
                .put("order_id", id)
                .put("amount", new BigDecimal(amount))
                .put("event_time", new java.util.Date(1_767_225_600_123L))
                .put("ship_date", quantity == null ? null : new java.util.Date(20_454L * 86_400_000L))
                .put("quantity", quantity)
                .put("paid", true)
                .put("weight", 1.25)
                .put("address", quantity == null ? null : new Struct(ADDRESS).put("city", "Lyon"))
                .put("tags", List.of("a", "b"))
                .put("attributes", Map.of("loyalty", 3L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"snappy", "zstd", "gzip", "none"})
    void everyTypeReadsBackWithItsLogicalType(String codec) throws Exception {
        Path file = dir.resolve("orders-" + codec + ".parquet");
        try (LocalParquetFile writer = writer(file, codec)) {
            writer.write(order("o1", "12345678901234.56", 3));
            writer.write(order("o2", "-0.01", null));
            assertEquals(2, writer.records());
        }
        List<GenericRecord> records = ParquetFiles.read(file);
        assertEquals(2, records.size());
        GenericRecord first = records.get(0);
        assertEquals("o1", first.get("order_id").toString());
        org.apache.avro.Schema amountSchema = first.getSchema().getField("amount").schema();
        LogicalTypes.Decimal decimal = (LogicalTypes.Decimal) amountSchema.getLogicalType();
        assertEquals(18, decimal.getPrecision());
        assertEquals(2, decimal.getScale());
        BigDecimal amount = first.get("amount") instanceof BigDecimal d ? d
                : new Conversions.DecimalConversion().fromBytes((ByteBuffer) first.get("amount"), amountSchema, decimal);
        assertEquals(new BigDecimal("12345678901234.56"), amount);
        Object eventTime = first.get("event_time");
        long eventMillis = eventTime instanceof java.time.Instant i ? i.toEpochMilli() : (Long) eventTime;
        assertEquals(1_767_225_600_123L, eventMillis);
        assertEquals(3, first.get("quantity"));
        assertEquals("Lyon", ((GenericRecord) first.get("address")).get("city").toString());
        assertEquals(2, ((List<?>) first.get("tags")).size());
        assertNull(records.get(1).get("quantity"));
        assertNull(records.get(1).get("address"));

        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            assertTrue(schema.getType("amount").getLogicalTypeAnnotation().toString().startsWith("DECIMAL(18,2)"), schema.toString());
            assertTrue(schema.getType("event_time").getLogicalTypeAnnotation().toString().startsWith("TIMESTAMP(MILLIS,true)"),
                    schema.toString());
            assertEquals("DATE", schema.getType("ship_date").getLogicalTypeAnnotation().toString());
            assertTrue(schema.getType("quantity").isRepetition(org.apache.parquet.schema.Type.Repetition.OPTIONAL));
            assertTrue(schema.getType("order_id").isRepetition(org.apache.parquet.schema.Type.Repetition.REQUIRED));
            assertEquals(codec.equals("none") ? "UNCOMPRESSED" : codec.toUpperCase(),
                    reader.getFooter().getBlocks().get(0).getColumns().get(0).getCodec().name());
        }
    }

    @Test
    void flatStructsBypassAvroYetWriteTheSameFileAsTheAvroPath() throws Exception {
        Schema flat = SchemaBuilder.struct().name("io.orderflow.Flat").version(1)
                .field("id", Schema.STRING_SCHEMA)
                .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "18").build())
                .field("at", Timestamp.SCHEMA)
                .field("day", Date.SCHEMA)
                .field("time_of_day", org.apache.kafka.connect.data.Time.SCHEMA)
                .field("tiny", Schema.INT8_SCHEMA)
                .field("count", Schema.OPTIONAL_INT64_SCHEMA)
                .field("ratio", Schema.FLOAT32_SCHEMA)
                .field("weight", Schema.FLOAT64_SCHEMA)
                .field("paid", Schema.BOOLEAN_SCHEMA)
                .field("blob", Schema.BYTES_SCHEMA)
                .build();
        List<Struct> values = List.of(
                new Struct(flat).put("id", NON_ASCII).put("amount", new BigDecimal("-123456789.05")).put("at", new java.util.Date(1_767_225_600_123L))
                        .put("day", new java.util.Date(20_454L * 86_400_000L)).put("time_of_day", new java.util.Date(45_296_789L))
                        .put("tiny", (byte) -7).put("count", 42L).put("ratio", 0.5f).put("weight", 2.25).put("paid", true)
                        .put("blob", new byte[] {1, 2, 3}),
                new Struct(flat).put("id", "b").put("amount", new BigDecimal("0.10")).put("at", new java.util.Date(0L))
                        .put("day", new java.util.Date(0L)).put("time_of_day", new java.util.Date(0L))
                        .put("tiny", (byte) 0).put("count", null).put("ratio", -1f).put("weight", 0d).put("paid", false)
                        .put("blob", new byte[0]));
        AvroData avroData = new AvroData(16);
        LakeSinkConfig config = new LakeSinkConfig(Map.of("store.url", "file:///tmp/x"));
        Path direct = dir.resolve("direct.parquet");
        try (LocalParquetFile writer = new LocalParquetFile(direct, flat, avroData, config.file())) {
            values.forEach(writer::write);
        }
        Path viaAvro = dir.resolve("avro.parquet");
        try (var writer = org.apache.parquet.avro.AvroParquetWriter.<org.apache.avro.generic.GenericRecord>builder(
                        new org.apache.parquet.io.LocalOutputFile(viaAvro))
                .withSchema(avroData.fromConnectSchema(flat)).withConf(new org.apache.parquet.conf.PlainParquetConfiguration()).build()) {
            for (Struct value : values) {
                writer.write((GenericRecord) avroData.fromConnectData(flat, value));
            }
        }
        try (ParquetFileReader a = ParquetFileReader.open(new LocalInputFile(direct));
             ParquetFileReader b = ParquetFileReader.open(new LocalInputFile(viaAvro))) {
            assertEquals(b.getFooter().getFileMetaData().getSchema(), a.getFooter().getFileMetaData().getSchema());
        }
        assertEquals(ParquetFiles.read(viaAvro).toString(), ParquetFiles.read(direct).toString());
        assertEquals(NON_ASCII, ParquetFiles.read(direct).get(0).get("id").toString());
    }

    /** Two- three- and four-byte UTF-8 (a surrogate pair) and a NUL: strings are written as their UTF-8 bytes. */
    private static final String NON_ASCII = "Zürich-東京-\uD83D\uDE00-\u0000-end";

    @Test
    void optionalRootSchemaIsWrittenAsARequiredRecord() throws Exception {
        Schema optional = SchemaBuilder.struct().name("Opt").optional().field("id", Schema.INT64_SCHEMA).build();
        Path file = dir.resolve("optional.parquet");
        LakeSinkConfig config = new LakeSinkConfig(Map.of("store.url", "file:///tmp/x"));
        try (LocalParquetFile writer = new LocalParquetFile(file, optional, new AvroData(16), config.file())) {
            writer.write(new Struct(optional).put("id", 7L));
        }
        assertEquals(7L, ParquetFiles.read(file).get(0).get("id"));
    }
}
