package io.orderflow.sink.lake;

import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads Parquet files back with parquet-avro, as a downstream reader would. */
public final class ParquetFiles {

    private ParquetFiles() {
    }

    public static List<GenericRecord> read(Path file) throws IOException {
        return read(new LocalInputFile(file));
    }

    public static List<GenericRecord> read(byte[] content) throws IOException {
        Path temp = Files.createTempFile("orderflow-read-", ".parquet");
        try {
            Files.write(temp, content);
            return read(temp);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static List<GenericRecord> read(InputFile input) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(input, new PlainParquetConfiguration()).build()) {
            for (GenericRecord record; (record = reader.read()) != null; ) {
                records.add(record);
            }
        }
        return records;
    }
}
