package io.orderflow.sink.warehouse;

import org.apache.avro.Schema;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The columns of a Parquet file, from its footer alone, as Avro fields (with their logical types). */
public final class ParquetColumns {

    private ParquetColumns() {
    }

    public static List<Schema.Field> read(Path file) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return new AvroSchemaConverter(new PlainParquetConfiguration())
                    .convert(reader.getFooter().getFileMetaData().getSchema()).getFields();
        } catch (IOException e) {
            throw new WarehouseException("Cannot read the schema of " + file + ": " + e.getMessage(), e, false);
        }
    }

    /** The type of a field without its nullability: optional fields are unions with null. */
    public static Schema nonNull(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    return branch;
                }
            }
        }
        return schema;
    }
}
