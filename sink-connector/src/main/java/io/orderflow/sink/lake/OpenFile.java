package io.orderflow.sink.lake;

import io.orderflow.sink.lake.format.LocalParquetFile;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Parquet file of one partition being filled. The task thread prepares each record for the file's schema (a
 * projection that may refuse the record, which then goes to the dead letter queue) and collects them; batches are
 * encoded on the task's encoding thread, and the file is closed there too. A failure there cannot be a record's fault
 * — every value was checked before — so it fails the task: the partition replays from its marker.
 */
final class OpenFile {

    private static final Logger log = LoggerFactory.getLogger(OpenFile.class);
    private static final CompletableFuture<Void> NOTHING_YET = CompletableFuture.completedFuture(null);

    final long startOffset;
    final long firstEventMs;
    private final LocalParquetFile parquet;
    private final FileEncoding encoding;
    private List<Struct> batch;
    /** The last work handed to the encoding thread for this file; read and replaced on the task thread only. */
    private CompletableFuture<Void> encoded = NOTHING_YET;
    private long records;
    /** The file's heap as of its last encoded batch: what the task's memory bound counts. */
    private volatile long heapBytes;
    private boolean closing;

    OpenFile(long startOffset, long firstEventMs, LocalParquetFile parquet, FileEncoding encoding) {
        this.startOffset = startOffset;
        this.firstEventMs = firstEventMs;
        this.parquet = parquet;
        this.encoding = encoding;
        this.batch = new ArrayList<>(encoding.batchSize());
        this.heapBytes = parquet.estimatedHeapBytes();
    }

    Schema schema() {
        return parquet.schema();
    }

    /** @throws org.apache.kafka.connect.errors.DataException when the value does not fit the file's schema */
    void write(Struct value) {
        Struct prepared = parquet.prepare(value);
        if (encoded.isCompletedExceptionally()) {
            await(encoded, parquet.file());   // the encoding thread's failure, before more records are taken
        }
        batch.add(prepared);
        records++;
        if (batch.size() >= encoding.batchSize()) {
            handOver();
        }
    }

    /** Hands what was collected to the encoding thread, so it is encoded while the task waits for more. */
    void handOver() {
        if (batch.isEmpty()) {
            return;
        }
        List<Struct> values = batch;
        batch = new ArrayList<>(encoding.batchSize());
        encoded = encoding.after(encoded, () -> {
            for (Struct value : values) {
                parquet.append(value);
            }
            heapBytes = parquet.estimatedHeapBytes();
        });
    }

    /** Closes the file after everything handed over is encoded; the future ends when the file is complete. */
    CompletableFuture<Void> close() {
        if (!closing) {
            closing = true;
            handOver();
            encoded = encoding.after(encoded, parquet::close);
        }
        return encoded;
    }

    /** Gives the file up: nothing more is encoded, and this waits until the encoding thread has let it go. */
    void abandon() {
        batch.clear();
        try {
            close().join();
        } catch (CompletionException e) {
            log.debug("Ignoring failure closing an abandoned file {}", parquet.file(), e);
        }
    }

    /**
     * Waits for work handed to the encoding thread, such as {@link #close()}.
     *
     * @param what the partition or file, for the message
     * @throws ConnectException when it failed: not retriable, the task stops and replays from its commit marker
     */
    static void await(CompletableFuture<?> encoding, Object what) {
        try {
            encoding.join();
        } catch (CompletionException e) {
            throw new ConnectException("Cannot write the Parquet file(s) of " + what + "; the task stops, and once "
                    + "restarted replays them from its commit marker: " + e.getCause().getMessage(), e.getCause());
        }
    }

    long records() {
        return records;
    }

    /**
     * Heap held by the file as of its last encoded batch. The records still waiting for the encoding thread are not
     * counted: {@link FileEncoding} bounds them per task, whatever its number of files.
     */
    long estimatedHeapBytes() {
        return heapBytes;
    }

    Path file() {
        return parquet.file();
    }
}
