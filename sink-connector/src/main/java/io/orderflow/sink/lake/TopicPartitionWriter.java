package io.orderflow.sink.lake;

import io.apicurio.registry.utils.converter.avro.AvroData;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The open files of one topic partition. All of them are committed together — closed, uploaded, then the
 * partition's commit marker written — so a commit marker always separates "durably in the store" from
 * "to be replayed", under every rotation policy. A crash between uploads and marker leaves only files whose
 * names (their first offsets) the replay regenerates, so they are overwritten, never duplicated.
 *
 * <p>Three threads share the work, so {@code put} waits neither on Parquet nor on the store: the task thread places
 * records and collects them per file ({@link OpenFile}); the task's encoding thread creates, encodes and closes the
 * files; the task's commit thread uploads them, writes the marker and loads them ({@link PartitionCommit}), once
 * they are closed, while the next files fill. At most one commit of a partition is in flight: the next one, a
 * revocation and the task's stop wait for it, so markers stay in order and no marker is written after the partition
 * has left the task.
 */
final class TopicPartitionWriter {

    private static final Logger log = LoggerFactory.getLogger(TopicPartitionWriter.class);

    private final TopicPartition tp;
    private final ObjectStore store;
    private final ObjectNames names;
    private final AvroData avroData;
    private final FileConfig fileConfig;
    private final Path tempDir;
    private final WriterContext context;
    private final WriterContext.FileLoader loader;
    private final LakeMetrics metrics;
    private final FileEncoding encoding;
    private final Map<String, OpenFile> files = new LinkedHashMap<>();
    private final CommitState state = new CommitState();
    // Rotation options, read once: write() consults them per record.
    private final long rotateIntervalMs;
    private final long rotateScheduleIntervalMs;
    private final int flushSize;
    private long unitStartedMs;
    private long newestEventMs = Long.MIN_VALUE;
    /** The commit running on the commit thread, if any, and when it ends. */
    private PartitionCommit inFlight;
    private CompletableFuture<Void> inFlightDone;
    /** A commit whose run failed: it is run again, on the task thread, before anything else. */
    private PartitionCommit failed;

    TopicPartitionWriter(TopicPartition tp, WriterContext context) {
        this.tp = tp;
        this.store = context.store();
        this.names = context.names();
        this.avroData = context.avroData();
        this.fileConfig = context.file();
        this.tempDir = context.tempDir();
        this.context = context;
        this.loader = context.loader();
        this.metrics = context.metrics();
        this.encoding = context.encoding();
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

    /**
     * At the start of a batch: reports a commit that failed on the commit thread (by throwing its error, so the
     * batch is retried), and loads the last marker's files if that has not happened yet — unless a commit is still in
     * flight, which loads them itself. A marker never replaces unloaded files.
     */
    void loadPending() {
        if (inFlight != null && !inFlightDone.isDone()) {
            return;
        }
        finishPrevious();
        PartitionCommit.loadPending(state, loader, metrics, Map.of());
    }

    /** Whether a record is new to this writer; a batch redelivered after a retriable error is not. */
    boolean isNew(long offset) {
        return state.isNew(offset);
    }

    /** The next offset this writer expects; -1 before its first record when no marker named one. */
    long nextOffset() {
        return state.nextOffset();
    }

    /** Accounts for a record that is not written (ignored tombstone, record sent to the DLQ). */
    void skip(long offset) {
        state.advancedPast(offset);
    }

    /**
     * @param directory the file's folder: the record's topic as transforms left it, then the partitioner's path
     */
    void write(long offset, String directory, long eventTimeMs, Struct value, long nowMs) {
        if (failed != null) {
            finishPrevious();
        }
        OpenFile file = files.get(directory);
        if (file != null && !SchemaEvolution.canProject(value.schema(), file.schema())) {
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
                            + files.size() + ".parquet"), value.schema(), avroData, fileConfig), encoding);
            files.put(directory, file);
        }
        file.write(value);
        state.advancedPast(offset);
        metrics.recordsWritten.increment();
        if (eventTimeMs > newestEventMs) {
            newestEventMs = eventTimeMs;
        }
        if (file.records() >= flushSize) {
            commit();
        }
    }

    /** At the end of a batch: what the open files collected goes to the encoding thread while the task polls. */
    void handOver() {
        for (OpenFile file : files.values()) {
            file.handOver();
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
     * Closes every open file and hands them, with the marker that will cover them, to the commit thread, once the
     * previous commit of this partition is finished. If the store fails midway, that commit is run again (same
     * names) by the next call.
     */
    void commit() {
        finishPrevious();
        if (files.isEmpty() && !hasUncommittedSkips()) {
            return;
        }
        PartitionCommit.loadPending(state, loader, metrics, Map.of());
        state.startCommit();
        Map<String, Path> closing = new LinkedHashMap<>();
        CompletableFuture<?>[] closed = new CompletableFuture<?>[files.size()];
        int i = 0;
        for (Map.Entry<String, OpenFile> entry : files.entrySet()) {
            OpenFile file = entry.getValue();
            closed[i++] = file.close();
            closing.put(names.dataFile(tp, entry.getKey(), file.startOffset), file.file());
        }
        files.clear();
        PartitionCommit commit = new PartitionCommit(tp, state, context, closing, CompletableFuture.allOf(closed),
                context.awaitReports().get(), newestEventMs);
        inFlight = commit;
        inFlightDone = CompletableFuture.runAsync(commit, context.commits());
        if (inFlightDone.isDone() && commit.ranOn(Thread.currentThread())) {
            finishPrevious();   // run inside this call (commits on the task thread): its failure is this call's
        }
    }

    /** Waits for the commit in flight; runs a failed one again here. Throws the store's or warehouse's error. */
    private void finishPrevious() {
        if (inFlight != null) {
            PartitionCommit commit = inFlight;
            inFlight = null;
            try {
                inFlightDone.join();
            } catch (CompletionException e) {
                failed = commit;
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        if (failed != null) {
            failed.run();
            failed = null;
        }
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
            bytes += file.estimatedHeapBytes();
        }
        return bytes;
    }

    /**
     * Drops everything not committed: the partition is revoked, its new owner replays from the marker. A commit in
     * flight is waited for first — its marker must not land after the new owner has read the previous one.
     */
    void discard() {
        if (inFlight != null) {
            try {
                inFlightDone.join();
            } catch (CompletionException e) {
                log.info("A commit of {} did not finish before the partition was given up; its next owner replays it: {}",
                        tp, e.getCause().getMessage());
                inFlight.deleteLocalFiles();
            }
            inFlight = null;
        }
        if (failed != null) {
            failed.deleteLocalFiles();
            failed = null;
        }
        for (OpenFile file : files.values()) {
            file.abandon();
        }
        deleteLocalFiles();
    }

    private void deleteLocalFiles() {
        for (OpenFile file : files.values()) {
            try {
                Files.deleteIfExists(file.file());
            } catch (IOException e) {
                log.warn("Cannot delete local file {}", file.file(), e);
            }
        }
        files.clear();
    }
}
