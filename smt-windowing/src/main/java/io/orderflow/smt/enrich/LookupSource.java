package io.orderflow.smt.enrich;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Where the lookup table comes from: inline JSON, or a CSV/JSON file that is reloaded when it changes
 * (checked at most once per interval, on the record path, so no extra thread is needed).
 */
final class LookupSource {

    private static final Logger log = LoggerFactory.getLogger(LookupSource.class);

    private final Path file;
    private final String keyColumn;
    private final long reloadIntervalNanos;
    private final LongSupplier nanoClock;
    private volatile LookupTable table;
    private FileTime loadedModified;
    private long loadedSize;
    private long nextCheckNanos;

    private LookupSource(Path file, String keyColumn, long reloadIntervalMs, LongSupplier nanoClock, LookupTable table) {
        this.file = file;
        this.keyColumn = keyColumn;
        this.reloadIntervalNanos = reloadIntervalMs * 1_000_000L;
        this.nanoClock = nanoClock;
        this.table = table;
    }

    static LookupSource inline(String json, String keyColumn, String configName) {
        try {
            return new LookupSource(null, keyColumn, 0, System::nanoTime, LookupTable.parse(json, true, keyColumn));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(configName, json, "inline lookup table: " + e.getMessage());
        }
    }

    static LookupSource file(String path, String keyColumn, long reloadIntervalMs, String configName, LongSupplier nanoClock) {
        LookupSource source = new LookupSource(Path.of(path), keyColumn, reloadIntervalMs, nanoClock, null);
        try {
            source.load();
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(configName, path, "cannot load lookup file: " + e.getMessage());
        }
        source.nextCheckNanos = nanoClock.getAsLong() + source.reloadIntervalNanos;
        return source;
    }

    /** The current table, reloaded first if the file changed and the interval has passed. */
    LookupTable table() {
        if (file != null && reloadIntervalNanos > 0 && nanoClock.getAsLong() - nextCheckNanos >= 0) {
            nextCheckNanos = nanoClock.getAsLong() + reloadIntervalNanos;
            reloadIfChanged();
        }
        return table;
    }

    private void reloadIfChanged() {
        try {
            if (Files.getLastModifiedTime(file).equals(loadedModified) && Files.size(file) == loadedSize) {
                return;
            }
            int before = table.size();
            load();
            log.info("Reloaded lookup table {}: {} keys (was {})", file, table.size(), before);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("Keeping the previous lookup table ({} keys): cannot reload {}: {}", table.size(), file, e.getMessage());
        }
    }

    private void load() throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        long size = Files.size(file);
        String content = Files.readString(file, StandardCharsets.UTF_8);
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        try {
            table = LookupTable.parse(content, json, keyColumn);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        loadedModified = modified;
        loadedSize = size;
    }
}
