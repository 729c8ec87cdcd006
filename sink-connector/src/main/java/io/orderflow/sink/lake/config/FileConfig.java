package io.orderflow.sink.lake.config;

import io.orderflow.common.config.Choices;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.util.Locale;

/** The Parquet files themselves. */
public final class FileConfig {

    static final String GROUP = "Parquet";

    static final String COMPRESSION = "parquet.compression";
    static final String ROW_GROUP_SIZE = "parquet.row.group.size.bytes";
    static final String PAGE_SIZE = "parquet.page.size.bytes";

    private final CompressionCodecName compression;
    private final int rowGroupSize;
    private final int pageSize;

    FileConfig(AbstractConfig config) {
        String codec = config.getString(COMPRESSION).toLowerCase(Locale.ROOT);
        this.compression = codec.equals("none") ? CompressionCodecName.UNCOMPRESSED : CompressionCodecName.fromConf(codec);
        this.rowGroupSize = config.getInt(ROW_GROUP_SIZE);
        this.pageSize = config.getInt(PAGE_SIZE);
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(COMPRESSION, Type.STRING, "snappy",
                        Choices.of("snappy", "zstd", "gzip", "none"), Importance.MEDIUM,
                        "Parquet compression codec: snappy, zstd, gzip or none.", GROUP, ++order, Width.SHORT, "Compression")
                .define(ROW_GROUP_SIZE, Type.INT, 8 * 1024 * 1024, Range.atLeast(64 * 1024), Importance.LOW,
                        "Target row group size. Each open file buffers up to one row group in memory.",
                        GROUP, ++order, Width.SHORT, "Row group size (bytes)")
                .define(PAGE_SIZE, Type.INT, 256 * 1024, Range.atLeast(4 * 1024), Importance.LOW,
                        "Target page size. Each open file keeps page and compression buffers of about a quarter page "
                                + "per column, so with many open partition paths smaller pages save memory.",
                        GROUP, ++order, Width.SHORT, "Page size (bytes)");
    }

    public CompressionCodecName compression() {
        return compression;
    }

    public int rowGroupSize() {
        return rowGroupSize;
    }

    public int pageSize() {
        return pageSize;
    }
}
