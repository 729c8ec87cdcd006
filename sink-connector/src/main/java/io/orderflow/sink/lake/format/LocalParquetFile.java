package io.orderflow.sink.lake.format;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.orderflow.sink.lake.config.FileConfig;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaProjector;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter.Mode;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes Connect structs of one schema to a local Parquet file, through Avro: Connect Decimal becomes
 * DECIMAL(p, s), Timestamp becomes TIMESTAMP(MILLIS, UTC), Date becomes DATE, optional fields nullable,
 * structs, arrays and maps nested groups.
 *
 * <p>{@link #prepare} may run on one thread while another appends; {@link #append}, {@link #close} and
 * {@link #estimatedHeapBytes} run on one thread at a time, handed over in order (the task's encoding thread).
 */
public final class LocalParquetFile implements AutoCloseable {

    private final Path file;
    private final Schema schema;
    /** The schema as written: a Parquet file's root is a required record, even for an optional value schema. */
    private final Schema rootSchema;
    private final AvroData avroData;
    private final FileConfig config;
    /**
     * Created by the first {@link #append} (or {@link #close}), on the thread that encodes: building a writer —
     * schema conversion, codec, page stores, the file itself — took about 0.8 ms a file in a profile of the task's
     * {@code put}, as long as encoding some 800 records, and the thread that creates this object is the task
     * thread, which should only check and place records.
     * Flat structs go straight to Parquet; nested ones through Avro GenericRecords.
     */
    private ParquetWriter<GenericRecord> avroWriter;
    private ParquetWriter<Struct> structWriter;
    private ParquetWriter<?> writer;
    /** Heap an open file holds before any data: per-column page and compression buffers (measured, see below). */
    private final long fixedHeapBytes;
    private long records;

    public LocalParquetFile(Path file, Schema schema, AvroData avroData, FileConfig config) {
        this.file = file;
        this.schema = schema;
        this.rootSchema = schema.isOptional() ? AvroData.nonOptional(schema) : schema;
        this.avroData = avroData;
        this.config = config;
        this.fixedHeapBytes = FILE_BASE_HEAP_BYTES + leafColumns(rootSchema) * (long) config.pageSize() / 4;
    }

    private void open() {
        org.apache.avro.Schema avroSchema = avroData.fromConnectSchema(rootSchema);
        try {
            if (StructWriteSupport.supports(rootSchema)) {
                PlainParquetConfiguration conf = new PlainParquetConfiguration();
                StructWriteSupport support = new StructWriteSupport(rootSchema,
                        new org.apache.parquet.avro.AvroSchemaConverter(conf).convert(avroSchema), avroSchema.toString());
                structWriter = configure(new StructParquetBuilder(new LocalOutputFile(file), support), config, conf).build();
                writer = structWriter;
            } else {
                // An explicit data model keeps parquet-avro from building a Hadoop Configuration (and parsing
                // Hadoop's XML resources) to look for a data supplier, once per file.
                AvroParquetWriter.Builder<GenericRecord> builder = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                        .withSchema(avroSchema).withDataModel(org.apache.avro.generic.GenericData.get());
                avroWriter = configure(builder, config, new PlainParquetConfiguration()).build();
                writer = avroWriter;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Parquet file " + file, e);
        }
    }

    private static <T, B extends ParquetWriter.Builder<T, B>> B configure(B builder, FileConfig config, PlainParquetConfiguration conf) {
        return builder.withConf(conf)
                .withCompressionCodec(config.compression())
                .withRowGroupSize((long) config.rowGroupSize())
                .withPageSize(config.pageSize())
                .withWriteMode(Mode.OVERWRITE);
    }

    /** A ParquetWriter builder for {@link StructWriteSupport}. */
    private static final class StructParquetBuilder extends ParquetWriter.Builder<Struct, StructParquetBuilder> {
        private final StructWriteSupport support;

        StructParquetBuilder(org.apache.parquet.io.OutputFile file, StructWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected StructParquetBuilder self() {
            return this;
        }

        @Override
        protected org.apache.parquet.hadoop.api.WriteSupport<Struct> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return support;
        }

        @Override
        protected org.apache.parquet.hadoop.api.WriteSupport<Struct> getWriteSupport(org.apache.parquet.conf.ParquetConfiguration conf) {
            return support;
        }
    }

    /** The file's schema: records of older compatible versions are projected to it. */
    public Schema schema() {
        return schema;
    }

    /** Prepares and appends one value. @throws DataException when it cannot be converted to the file's schema */
    public void write(Struct value) {
        append(prepare(value));
    }

    /**
     * The value as this file stores it: projected to the file's schema, under its required root. Cheap, and the only
     * step that can refuse a value, so callers that encode elsewhere run it where they can still report the record.
     *
     * @throws DataException when the value cannot be converted to the file's schema
     */
    public Struct prepare(Struct value) {
        Struct converted = value.schema() == schema ? value : (Struct) SchemaProjector.project(value.schema(), value, schema);
        return rooted(converted);
    }

    /** Encodes a value {@link #prepare prepared} for this file. */
    public void append(Struct prepared) {
        if (writer == null) {
            open();
        }
        try {
            if (structWriter != null) {
                structWriter.write(prepared);
            } else {
                avroWriter.write((GenericRecord) avroData.fromConnectData(rootSchema, prepared));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to Parquet file " + file, e);
        }
        records++;
    }

    /** The value under the required root schema; the same struct when the value schema is already required. */
    private Struct rooted(Struct value) {
        if (rootSchema == schema) {
            return value;
        }
        Struct rooted = new Struct(rootSchema);
        for (org.apache.kafka.connect.data.Field field : rootSchema.fields()) {
            rooted.put(field, value.get(field.name()));
        }
        return rooted;
    }

    public long records() {
        return records;
    }

    /**
     * Estimated heap this open file holds: what the memory bound counts. Parquet reports only its encoded
     * data; measured with parquet-java 1.18 (100 open files of order events, snappy), an open file holds about
     * 135 KiB plus a quarter page per column before any data, and about five times its encoded data size once
     * data arrives (page slabs grow by doubling). Rows already flushed to the local file are not on the heap.
     */
    public long estimatedHeapBytes() {
        if (writer == null) {
            return fixedHeapBytes;
        }
        long inMemory = 0;
        try {
            inMemory = Math.max(0, writer.getDataSize() - java.nio.file.Files.size(file));
        } catch (IOException e) {
            inMemory = writer.getDataSize();
        }
        return fixedHeapBytes + DATA_HEAP_FACTOR * inMemory;
    }

    private static final long FILE_BASE_HEAP_BYTES = 160 * 1024;
    private static final long DATA_HEAP_FACTOR = 5;

    private static int leafColumns(Schema schema) {
        return switch (schema.type()) {
            case STRUCT -> schema.fields().stream().mapToInt(f -> leafColumns(f.schema())).sum();
            case ARRAY -> leafColumns(schema.valueSchema());
            case MAP -> leafColumns(schema.keySchema()) + leafColumns(schema.valueSchema());
            default -> 1;
        };
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        if (writer == null) {
            open();   // a file of no rows is still a valid file
        }
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot finish Parquet file " + file, e);
        }
    }
}
