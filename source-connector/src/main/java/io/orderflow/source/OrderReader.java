package io.orderflow.source;

import org.apache.kafka.connect.source.SourceRecord;

import java.util.List;

/** What a source task reads orders from: the generator or a table. */
public interface OrderReader {

    /** The next records, or null when there are none yet (the reader has waited, responsive to stop). */
    List<SourceRecord> poll();

    /** Releases what the reader holds; called once, from the task's stop. */
    void close();

    /** A wait that ends early when the task stops. */
    @FunctionalInterface
    interface Idle {
        /** @return false when the wait ended because the task is stopping */
        boolean await(long millis);
    }
}
