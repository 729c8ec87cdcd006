package io.orderflow.sink.lake;

import io.orderflow.sink.lake.commit.CommitMarker;
import io.orderflow.sink.lake.commit.CommitState;
import io.orderflow.sink.lake.commit.ObjectNames;
import io.orderflow.sink.lake.store.ObjectStore;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One commit of a partition, from the moment its files are handed over to be closed: wait until the encoding thread
 * has closed them, upload every file under its name, await the dead letter reports of the records it passed over,
 * write the marker, load the files into the warehouse. It runs on the task's commit thread while the partition's
 * next files fill on the task thread; a failed run is run again, on the task thread, from the first step not done:
 * files are uploaded again under the same names, and a marker written is never written twice. A file that could not
 * be encoded fails every run: the task stops and its next start replays the partition from the marker.
 */
final class PartitionCommit implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(PartitionCommit.class);

    private final TopicPartition tp;
    private final CommitState state;
    private final ObjectStore store;
    private final ObjectNames names;
    private final WriterContext.FileLoader loader;
    private final LakeMetrics metrics;
    /** File key -> the closed local file. */
    private final Map<String, Path> files;
    /** Ends when the encoding thread has closed every one of the files. */
    private final CompletableFuture<Void> filesClosed;
    private final Runnable awaitReports;
    private final long newestEventMs;
    private final long startedNanos = System.nanoTime();
    private boolean marked;
    /** The thread of the latest run: tells a commit run inside the call that submitted it from one run elsewhere. */
    private volatile Thread runner;

    PartitionCommit(TopicPartition tp, CommitState state, WriterContext context, Map<String, Path> files,
                    CompletableFuture<Void> filesClosed, Runnable awaitReports, long newestEventMs) {
        this.tp = tp;
        this.state = state;
        this.store = context.store();
        this.names = context.names();
        this.loader = context.loader();
        this.metrics = context.metrics();
        this.files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        this.filesClosed = filesClosed;
        this.awaitReports = awaitReports;
        this.newestEventMs = newestEventMs;
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        if (!marked) {
            OpenFile.await(filesClosed, tp);
            long bytes = 0;
            for (Map.Entry<String, Path> file : files.entrySet()) {
                bytes += size(file.getValue());
                store.upload(file.getKey(), file.getValue());
            }
            awaitReports.run();
            List<String> keys = List.copyOf(files.keySet());
            store.put(names.marker(tp), new CommitMarker(tp.topic(), tp.partition(), state.closingOffset(), keys).toJson());
            state.marked(keys);
            marked = true;
            log.debug("Committed {} file(s) of {} up to offset {}", keys.size(), tp, state.committedOffset());
            metrics.commitLatency.recordSince(startedNanos);
            metrics.filesCommitted.add(keys.size());
            metrics.bytesCommitted.add(bytes);
            if (!keys.isEmpty()) {
                metrics.committed(newestEventMs);
            }
        }
        loadPending(state, loader, metrics, files);
        deleteLocalFiles();
    }

    /** Whether the latest run was on {@code thread}. */
    boolean ranOn(Thread thread) {
        return runner == thread;
    }

    /**
     * Loads the files of the partition's last marker if they are not loaded yet, from {@code localCopies} where it
     * has them.
     */
    static void loadPending(CommitState state, WriterContext.FileLoader loader, LakeMetrics metrics,
                            Map<String, Path> localCopies) {
        List<String> pending = state.pendingLoads();
        if (!pending.isEmpty()) {
            long started = System.nanoTime();
            loader.load(pending, localCopies);
            metrics.loadLatency.recordSince(started);
            metrics.filesLoaded.add(pending.size());
            state.loaded();
        }
    }

    /** Deletes the local copies; called once they are in the store, or when the partition is given up. */
    void deleteLocalFiles() {
        for (Path file : files.values()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("Cannot delete local file {}", file, e);
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
