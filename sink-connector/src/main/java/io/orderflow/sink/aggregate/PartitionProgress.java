package io.orderflow.sink.aggregate;

import java.util.OptionalLong;

/**
 * A partition's offsets as this task knows them: {@code stored}, the next offset the warehouse holds (empty: none
 * yet), and {@code next}, the next offset the in-memory deltas expect (-1: any). Records below {@code next} are
 * already counted — the worker redelivers a batch after a retriable failure — and are skipped.
 */
final class PartitionProgress {

    OptionalLong stored = OptionalLong.empty();
    long next = -1;
    /** While nothing is stored: the first offset this task counted, where a rewind must go back to (-1: none). */
    long firstCounted = -1;
    /** The stored offset could not be read yet (warehouse down at assignment): records wait until it is. */
    boolean unresolved;

    /** Moves past records that never reached the task (dropped by a transform) up to {@code offset}. */
    void passTo(long offset) {
        if (offset > next) {
            next = offset;
        }
    }

    boolean advanced() {
        return next >= 0 && (stored.isEmpty() || next > stored.getAsLong());
    }
}
