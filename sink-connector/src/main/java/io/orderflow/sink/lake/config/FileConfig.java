package io.orderflow.sink.lake.config;

import io.orderflow.common.config.Choices;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/** The Parquet files themselves, and where a task keeps them until they are uploaded. */
public final class FileConfig {

    static final String GROUP = "Parquet";

    static final String COMPRESSION = "parquet.compression";
    static final String ROW_GROUP_SIZE = "parquet.row.group.size.bytes";
    static final String PAGE_SIZE = "parquet.page.size.bytes";
    static final String LOCAL_DIR = "local.dir";

    private final CompressionCodecName compression;
    private final int rowGroupSize;
    private final int pageSize;
    private final Path localDir;

    FileConfig(AbstractConfig config) {
        String codec = config.getString(COMPRESSION).toLowerCase(Locale.ROOT);
        this.compression = codec.equals("none") ? CompressionCodecName.UNCOMPRESSED : CompressionCodecName.fromConf(codec);
        this.rowGroupSize = config.getInt(ROW_GROUP_SIZE);
        this.pageSize = config.getInt(PAGE_SIZE);
        String dir = config.getString(LOCAL_DIR);
        this.localDir = Path.of(dir.isEmpty() ? System.getProperty("java.io.tmpdir") : dir);
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
                        GROUP, ++order, Width.SHORT, "Page size (bytes)")
                .define(LOCAL_DIR, Type.STRING, "", new AbsolutePathOrEmpty(), Importance.LOW,
                        "Local directory on each worker for the Parquet files a task has open and the files it "
                                + "downloads to load into the warehouse; empty for the worker's java.io.tmpdir. Each "
                                + "task works in its own orderflow-lake-* subdirectory, deleted when the task stops; a "
                                + "task that starts deletes those of tasks that ended without stopping (a killed "
                                + "worker). Point it at a disk, not a memory-backed /tmp, when files are large.",
                        GROUP, ++order, Width.LONG, "Local directory");
    }

    /** A path a worker resolves the same way whatever its working directory is. */
    private static final class AbsolutePathOrEmpty implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String dir = (String) value;
            if (dir == null) {
                throw new ConfigException(name, null, "must be an absolute path, or empty for java.io.tmpdir");
            }
            try {
                if (!dir.isEmpty() && !Path.of(dir).isAbsolute()) {
                    throw new ConfigException(name, value, "must be an absolute path, or empty for java.io.tmpdir");
                }
            } catch (InvalidPathException e) {
                throw new ConfigException(name, value, "not a path: " + e.getReason());
            }
        }

        @Override
        public String toString() {
            return "an absolute path, or empty";
        }
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

    /** The parent of the tasks' own local directories. */
    public Path localDir() {
        return localDir;
    }
}
