package io.orderflow.local.bench;

import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * When each lake file's rows became queryable: the lake sink records a file in {@code _orderflow_load_history} in
 * the transaction that inserts its rows, so the first poll that sees the file's row sees its rows. Each row carries
 * the broker's append time in {@code appended_at} (an {@code InsertField} transform the benchmark adds to the lake's
 * chain), read back afterwards from the file itself in S3Proxy's directory.
 */
final class LakeVisibility extends WarehousePoller {

    private final String keyPrefix;
    private final Path bucket;
    private final Set<String> seen = new HashSet<>();
    /** file key -> [first seen, rows], in the order they appeared. */
    private final Map<String, long[]> files = new LinkedHashMap<>();

    LakeVisibility(String url, String keyPrefix, Path bucket) {
        super(url, "lake-visibility");
        this.keyPrefix = keyPrefix;
        this.bucket = bucket;
    }

    @Override
    void poll(Connection db, long now) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT file, row_count FROM \"_orderflow_load_history\" WHERE file LIKE ? AND status = 'LOADED'")) {
            query.setString(1, keyPrefix + "%");
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    if (seen.add(rs.getString(1))) {
                        synchronized (files) {
                            files.put(rs.getString(1), new long[] {now, rs.getLong(2)});
                        }
                    }
                }
            }
        }
    }

    /** Rows whose file became visible in [from, to). */
    long rowsVisibleBetween(long from, long to) {
        long rows = 0;
        synchronized (files) {
            for (long[] file : files.values()) {
                if (file[0] >= from && file[0] < to) {
                    rows += file[1];
                }
            }
        }
        return rows;
    }

    /** The first poll by which at least {@code rows} rows were queryable, or -1. */
    long timeWhenVisible(long rows) {
        long total = 0;
        synchronized (files) {
            for (long[] file : files.values()) {
                total += file[1];
                if (total >= rows) {
                    return file[0];
                }
            }
        }
        return -1;
    }

    /** Append-to-queryable latency of every row the broker appended in [from, to) whose file became visible. */
    Latencies latencies(long from, long to) throws Exception {
        Latencies latencies = new Latencies();
        Map<String, long[]> visible;
        synchronized (files) {
            visible = new LinkedHashMap<>(files);
        }
        for (Map.Entry<String, long[]> file : visible.entrySet()) {
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                    new LocalInputFile(bucket.resolve(file.getKey())), new PlainParquetConfiguration()).build()) {
                for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
                    Object value = row.get("appended_at");
                    long appended = value instanceof Instant instant ? instant.toEpochMilli() : (Long) value;
                    if (appended >= from && appended < to) {
                        latencies.add(file.getValue()[0] - appended);
                    }
                }
            }
        }
        return latencies;
    }
}
