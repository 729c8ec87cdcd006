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
 */
public final class ParquetFileWriter implements AutoCloseable {

    private final Path file;
    private final Schema schema;
    /** The schema as written: a Parquet file's root is a required record, even for an optional value schema. */
    private final Schema rootSchema;
    private final AvroData avroData;
    private final ParquetWriter<GenericRecord> writer;
    private long records;

    public ParquetFileWriter(Path file, Schema schema, AvroData avroData, FileConfig config) {
        this.file = file;
        this.schema = schema;
        this.rootSchema = schema.isOptional() ? AvroData.nonOptional(schema) : schema;
        this.avroData = avroData;
        try {
            this.writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                    .withSchema(avroData.fromConnectSchema(rootSchema))
                    .withConf(new PlainParquetConfiguration())
                    .withCompressionCodec(config.compression())
                    .withRowGroupSize((long) config.rowGroupSize())
                    .withPageSize(config.pageSize())
                    .withWriteMode(Mode.OVERWRITE)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Parquet file " + file, e);
        }
    }

    /** The file's schema: records of older compatible versions are projected to it. */
    public Schema schema() {
        return schema;
    }

    /** @throws DataException when the value cannot be converted to the file's schema */
    public void write(Struct value) {
        Struct converted = value.schema() == schema ? value : (Struct) SchemaProjector.project(value.schema(), value, schema);
        try {
            writer.write((GenericRecord) avroData.fromConnectData(rootSchema, rooted(converted)));
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

    /** Bytes held in memory or written so far: what rotation and the memory bound look at. */
    public long bufferedBytes() {
        return writer.getDataSize();
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot finish Parquet file " + file, e);
        }
    }
}
