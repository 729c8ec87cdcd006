package io.orderflow.sink.lake;

import io.orderflow.common.metrics.PluginInstruments.Counter;
import io.orderflow.sink.lake.config.LoadConfig.LoadErrorPolicy;
import io.orderflow.sink.lake.store.ObjectStore;
import io.orderflow.common.sql.TableName;
import io.orderflow.sink.warehouse.WarehouseException;
import io.orderflow.sink.warehouse.WarehouseLoader;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hands the files of each commit to the warehouse (step 5 of the lake's protocol, docs/ARCHITECTURE.md): reads them
 * from the commit's own local copies, from the local store in place, or else downloads them from S3; loads them, and applies
 * {@code warehouse.load.error.policy} to a file the warehouse refuses for good. Outages are the caller's to retry.
 */
final class CommittedFileLoads {

    private static final Logger log = LoggerFactory.getLogger(CommittedFileLoads.class);

    private final ObjectStore store;
    /** Null when files are not loaded by the connector. */
    private final WarehouseLoader warehouse;
    private final LoadErrorPolicy loadErrorPolicy;
    private final TableName table;
    private final Path tempDir;
    private final Counter loadFailures;

    CommittedFileLoads(ObjectStore store, WarehouseLoader warehouse, LoadErrorPolicy loadErrorPolicy, TableName table,
                       Path tempDir, Counter loadFailures) {
        this.store = store;
        this.warehouse = warehouse;
        this.loadErrorPolicy = loadErrorPolicy;
        this.table = table;
        this.tempDir = tempDir;
        this.loadFailures = loadFailures;
    }

    /**
     * Loads committed files, reading them from the local store in place or downloading them from S3. Outages are
     * retried by the caller; a refusal fails the task with instructions or, with record-and-continue, is recorded.
     */
    void load(List<String> fileKeys, Map<String, Path> localCopies) {
        if (warehouse == null || fileKeys.isEmpty()) {
            return;
        }
        Map<String, Path> local = new LinkedHashMap<>();
        List<Path> downloaded = new ArrayList<>();
        try {
            for (String key : fileKeys) {
                Optional<Path> inPlace = localCopies.containsKey(key) ? Optional.of(localCopies.get(key)) : store.localPath(key);
                Path file = inPlace.orElseGet(() -> download(key));
                if (inPlace.isEmpty()) {
                    downloaded.add(file);
                }
                local.put(key, file);
            }
            try {
                warehouse.loadAll(local);
            } catch (WarehouseException e) {
                if (e.retriable()) {
                    throw e;
                }
                if (loadErrorPolicy == LoadErrorPolicy.FAIL) {
                    throw new ConnectException(refusal(fileKeys, e), e);
                }
                loadEachRecordingRefusals(local);
            }
        } finally {
            for (Path file : downloaded) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    log.warn("Cannot delete {}", file, e);
                }
            }
        }
    }

    /** Loads the files one by one, so that only those the warehouse refuses are recorded as FAILED. */
    private void loadEachRecordingRefusals(Map<String, Path> files) {
        for (Map.Entry<String, Path> file : files.entrySet()) {
            try {
                warehouse.load(file.getKey(), file.getValue());
            } catch (WarehouseException e) {
                if (e.retriable()) {
                    throw e;
                }
                warehouse.recordFailure(file.getKey(), e.getMessage());
                loadFailures.increment();
                log.error("{}. Recorded as FAILED in the load history (warehouse.load.error.policy=record-and-continue); "
                        + "the file stays in the lake at {}.", e.getMessage(), store.url(file.getKey()));
            }
        }
    }

    private String refusal(List<String> fileKeys, WarehouseException e) {
        return "The warehouse refused the committed lake file(s) " + fileKeys.stream().map(store::url).toList()
                + " for table " + table.quoted() + ": " + e.getMessage() + ". The files stay in the "
                + "lake and this partition stops here. Fix the cause (the table's columns or constraints, or the data "
                + "at its source) and restart the task, which loads them again; or set "
                + "warehouse.load.error.policy=record-and-continue to record refused files as FAILED and go on.";
    }

    private Path download(String key) {
        byte[] content = store.get(key).orElseThrow(() -> new ConnectException("Committed file " + store.url(key)
                + " is missing from the store; it cannot be loaded"));
        try {
            Path local = Files.createTempFile(tempDir, "load-", ".parquet");
            Files.write(local, content);
            return local;
        } catch (IOException e) {
            throw new ConnectException("Cannot stage " + store.url(key) + " for loading", e);
        }
    }
}
