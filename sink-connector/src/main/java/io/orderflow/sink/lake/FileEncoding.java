package io.orderflow.sink.lake;

import org.apache.kafka.connect.errors.ConnectException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * Where a task's Parquet encoding runs: on its own thread, so that the task thread only converts, checks and places
 * records while the previous ones are encoded. Work for one file is chained ({@link #after}), so a file's rows keep
 * their order; a bounded number of batches may wait, beyond which the task thread waits — a task never holds more
 * unencoded records than {@code maxQueuedBatches × batchSize}.
 */
final class FileEncoding {

    /** Records handed over at a time: enough to make a hand-over cheap, few enough to bound what waits. */
    static final int BATCH_SIZE = 512;
    private static final int MAX_QUEUED_BATCHES = 16;

    private final Executor executor;
    private final int batchSize;
    private final Semaphore queued;

    private FileEncoding(Executor executor, int batchSize, int maxQueuedBatches) {
        this.executor = executor;
        this.batchSize = batchSize;
        this.queued = new Semaphore(maxQueuedBatches);
    }

    /** Encoding on the task's encoding thread. */
    static FileEncoding on(Executor encodingThread) {
        return new FileEncoding(encodingThread, BATCH_SIZE, MAX_QUEUED_BATCHES);
    }

    /** Encoding inside the call that writes, one record at a time (unit tests of decisions that depend on sizes). */
    static FileEncoding onCallingThread() {
        return new FileEncoding(Runnable::run, 1, 1);
    }

    int batchSize() {
        return batchSize;
    }

    /**
     * Runs {@code work} once {@code previous} has completed normally; a failure of {@code previous} is passed on
     * without running it. Waits while the encoding thread has as many batches as it may hold.
     */
    CompletableFuture<Void> after(CompletableFuture<Void> previous, Runnable work) {
        try {
            queued.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while waiting for the encoding thread", e);
        }
        CompletableFuture<Void> next;
        try {
            next = previous.thenRunAsync(work, executor);
        } catch (RuntimeException e) {
            queued.release();
            throw e;
        }
        next.whenComplete((ignored, error) -> queued.release());
        return next;
    }
}
