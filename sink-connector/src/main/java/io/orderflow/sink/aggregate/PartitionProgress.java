package io.orderflow.sink.aggregate;

import io.orderflow.sink.aggregate.summary.SummaryTable;

import java.util.OptionalLong;

/**
 * A partition's exactly-once state in the aggregate task, changed only through its named transitions:
 *
 * <pre>
 *   AWAITING_STORED_OFFSET --resumeFrom(stored)--> COUNTING --counted / passTo--> COUNTING
 *   COUNTING --stored(next) after a flush--> COUNTING        any state --rewind()--> AWAITING_STORED_OFFSET
 * </pre>
 *
 * {@code stored} is the next offset the warehouse holds (empty: none yet); {@code next} is the next offset the
 * in-memory deltas expect (-1: any). Records below {@code next} are already counted: in a batch the worker
 * redelivers after a retriable failure they are skipped, and in any other batch they mean the log started over.
 */
final class PartitionProgress {

    private OptionalLong stored = OptionalLong.empty();
    private long next = -1;
    /** While nothing is stored: the first offset this task counted, where a rewind must go back to (-1: none). */
    private long firstCounted = -1;
    /** The stored offset must be read (at assignment, after a rewind) before records are counted. */
    private boolean awaitingStoredOffset;

    /** A partition just assigned: its stored offset is read before any of its records counts. */
    static PartitionProgress assigned() {
        PartitionProgress progress = new PartitionProgress();
        progress.awaitingStoredOffset = true;
        return progress;
    }

    boolean awaitingStoredOffset() {
        return awaitingStoredOffset;
    }

    /**
     * The stored offset is known: counting resumes there or, where nothing is stored yet but records were counted
     * into deltas since dropped, at the first of those.
     *
     * @return the offset the consumer must seek to, or -1 to keep its position
     */
    long resumeFrom(OptionalLong storedOffset) {
        stored = storedOffset;
        awaitingStoredOffset = false;
        next = storedOffset.orElse(firstCounted);
        return next;
    }

    /** Whether a record at this offset is already in the deltas (a redelivered batch). */
    boolean alreadyCounted(long offset) {
        return next >= 0 && offset < next;
    }

    /** The next offset the deltas expect; -1: any. */
    long nextOffset() {
        return next;
    }

    void counted(long offset) {
        if (stored.isEmpty() && firstCounted < 0) {
            firstCounted = offset;
        }
        next = offset + 1;
    }

    /** Moves past records that never reached the task (dropped by a transform) up to {@code offset}. */
    void passTo(long offset) {
        if (offset > next) {
            next = offset;
        }
    }

    /** The move of the stored offset a flush must make, if the deltas are ahead of it. */
    java.util.Optional<SummaryTable.OffsetAdvance> advance() {
        boolean ahead = next >= 0 && (stored.isEmpty() || next > stored.getAsLong());
        return ahead ? java.util.Optional.of(new SummaryTable.OffsetAdvance(stored, next)) : java.util.Optional.empty();
    }

    /** A flush stored the deltas up to {@code nextOffset} in the warehouse. */
    void stored(long nextOffset) {
        stored = OptionalLong.of(nextOffset);
    }

    OptionalLong storedOffset() {
        return stored;
    }

    /** The deltas were dropped: the stored offset is read again and counting resumes from it. */
    void rewind() {
        awaitingStoredOffset = true;
    }
}
