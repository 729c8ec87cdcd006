package io.orderflow.sink.lake;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.orderflow.sink.lake.commit.CommitMarker;
import io.orderflow.sink.lake.commit.CommitState;
import io.orderflow.sink.lake.commit.ObjectNames;
import io.orderflow.sink.lake.config.FileConfig;
import io.orderflow.sink.lake.config.RotationConfig;
import io.orderflow.sink.lake.format.LocalParquetFile;
import io.orderflow.sink.lake.format.SchemaEvolution;
import io.orderflow.sink.lake.store.ObjectStore;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open files of one topic partition. All of them are committed together — closed, uploaded, then the
 * partition's commit marker written — so a commit marker always separates "durably in the store" from
 * "to be replayed", under every rotation policy. A crash between uploads and marker leaves only files whose
 * names (their first offsets) the replay regenerates, so they are overwritten, never duplicated.
 */
final class TopicPartitionWriter {

    private static final Logger log = LoggerFactory.getLogger(TopicPartitionWriter.class);

    private final TopicPartition tp;
    private final ObjectStore store;
    private final ObjectNames names;
    private final AvroData avroData;
    private final FileConfig fileConfig;
    private final Path tempDir;
    private final Runnable beforeCommit;
    private final WriterContext.FileLoader loader;
    private final LakeMetrics metrics;
    private final Map<String, OpenFile> files = new LinkedHashMap<>();
    private final CommitState state = new CommitState();
    // Rotation options, read once: write() consults them per record.
    private final long rotateIntervalMs;
    private final long rotateScheduleIntervalMs;
    private final int flushSize;
    private long unitStartedMs;
    private long newestEventMs = Long.MIN_VALUE;

    TopicPartitionWriter(TopicPartition tp, WriterContext context) {
        this.tp = tp;
        this.store = context.store();
        this.names = context.names();
        this.avroData = context.avroData();
        this.fileConfig = context.file();
        this.tempDir = context.tempDir();
        this.beforeCommit = context.beforeCommit();
        this.loader = context.loader();
        this.metrics = context.metrics();
        RotationConfig rotation = context.rotation();
        this.rotateIntervalMs = rotation.rotateIntervalMs();
        this.rotateScheduleIntervalMs = rotation.rotateScheduleIntervalMs();
        this.flushSize = rotation.flushSize();
    }

    /**
     * Starts after a commit marker: records before {@code offset} are already in the store, and the marker's
     * files may not have reached the warehouse yet (the task may have died in between), so they are loaded again;
     * the load history makes that a no-op for files already loaded.
     */
    void resumeAt(long offset, List<String> lastCommittedFiles) {
        state.resumeAt(offset, lastCommittedFiles);
    }

    /** Loads the last commit's files if that has not happened yet. A marker never replaces unloaded files. */
    void loadPending() {
        if (!state.pendingLoads().isEmpty()) {
            long started = System.nanoTime();
            loader.load(state.pendingLoads());
            metrics.loadLatency.recordSince(started);
            metrics.filesLoaded.add(state.pendingLoads().size());
            state.loaded();
        }
    }

    /** Whether a record is new to this writer; a batch redelivered after a retriable error is not. */
    boolean isNew(long offset) {
        return state.isNew(offset);
    }

    /** Accounts for a record that is not written (ignored tombstone, record sent to the DLQ). */
    void skip(long offset) {
        state.advancedPast(offset);
    }

    /**
     * @param directory the file's folder: the record's topic as transforms left it, then the partitioner's path
     */
    void write(long offset, String directory, long eventTimeMs, Struct value, long nowMs) {
        if (state.isCommitInProgress()) {
            commit();
        }
        OpenFile file = files.get(directory);
        if (file != null && !SchemaEvolution.canProject(value.schema(), file.writer.schema())) {
            commit();
            file = null;
        }
        if (file != null && rotateIntervalMs > 0 && eventTimeMs - file.firstEventMs >= rotateIntervalMs) {
            commit();
            file = null;
        }
        if (file == null) {
            if (files.isEmpty()) {
                unitStartedMs = nowMs;
            }
            file = new OpenFile(offset, eventTimeMs,
                    new LocalParquetFile(tempDir.resolve(tp.topic() + "+" + tp.partition() + "+" + offset + "-"
                            + files.size() + ".parquet"), value.schema(), avroData, fileConfig));
            files.put(directory, file);
        }
        file.writer.write(value);
        state.advancedPast(offset);
        metrics.recordsWritten.increment();
        if (eventTimeMs > newestEventMs) {
            newestEventMs = eventTimeMs;
        }
        if (file.writer.records() >= flushSize) {
            commit();
        }
    }

    /** Whether the wall-clock rotation is due: open files older than the schedule interval. */
    boolean scheduleDue(long nowMs) {
        return !files.isEmpty() && rotateScheduleIntervalMs > 0 && nowMs - unitStartedMs >= rotateScheduleIntervalMs;
    }

    /** Whether nothing is open, uncommitted or waiting to be loaded: the marker covers all this writer was given. */
    boolean idle() {
        return state.idle(!files.isEmpty());
    }

    /** Whether only skipped records (no files) moved this partition forward since its last commit. */
    boolean hasUncommittedSkips() {
        return state.hasUncommittedSkips(!files.isEmpty());
    }

    /**
     * Closes, uploads and marks every open file. If the store fails midway, the closed files stay here and the
     * next call uploads them again under the same names.
     */
    void commit() {
        if (files.isEmpty() && !hasUncommittedSkips()) {
            return;
        }
        loadPending();
        if (!state.isCommitInProgress()) {
            state.startCommit();
        }
        long started = System.nanoTime();
        List<String> keys = new ArrayList<>(files.size());
        long bytes = 0;
        for (Map.Entry<String, OpenFile> entry : files.entrySet()) {
            OpenFile file = entry.getValue();
            file.closeOnce();
            String key = names.dataFile(tp, entry.getKey(), file.startOffset);
            bytes += fileSize(file.writer.file());
            store.upload(key, file.writer.file());
            keys.add(key);
        }
        beforeCommit.run();
        store.put(names.marker(tp), new CommitMarker(tp.topic(), tp.partition(), state.nextOffset(), keys).toJson());
        log.debug("Committed {} file(s) of {} up to offset {}", keys.size(), tp, state.nextOffset());
        state.marked(keys);
        metrics.commitLatency.recordSince(started);
        metrics.filesCommitted.add(keys.size());
        metrics.bytesCommitted.add(bytes);
        if (!keys.isEmpty()) {
            metrics.committed(newestEventMs);
        }
        deleteLocalFiles();
        loadPending();
    }

    long committedOffset() {
        return state.committedOffset();
    }

    int openFiles() {
        return files.size();
    }

    long estimatedHeapBytes() {
        long bytes = 0;
        for (OpenFile file : files.values()) {
            bytes += file.writer.estimatedHeapBytes();
        }
        return bytes;
    }

    /** Drops everything not committed: the partition is revoked, its new owner replays from the marker. */
    void discard() {
        for (OpenFile file : files.values()) {
            try {
                file.closeOnce();
            } catch (RuntimeException e) {
                log.debug("Ignoring failure closing an abandoned file of {}", tp, e);
            }
        }
        deleteLocalFiles();
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private void deleteLocalFiles() {
        for (OpenFile file : files.values()) {
            try {
                Files.deleteIfExists(file.writer.file());
            } catch (IOException e) {
                log.warn("Cannot delete local file {}", file.writer.file(), e);
            }
        }
        files.clear();
    }

    private static final class OpenFile {
        final long startOffset;
        final long firstEventMs;
        final LocalParquetFile writer;
        boolean closed;

        OpenFile(long startOffset, long firstEventMs, LocalParquetFile writer) {
            this.startOffset = startOffset;
            this.firstEventMs = firstEventMs;
            this.writer = writer;
        }

        void closeOnce() {
            if (!closed) {
                writer.close();
                closed = true;
            }
        }
    }
}
