package io.orderflow.sink;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Tells the batch the worker delivers again from one it fetched. When {@code put} throws a
 * {@code RetriableException} the worker keeps that batch and hands it over again without fetching, less the records
 * of partitions revoked meanwhile: an eager rebalance revokes them all and so drops the batch, a cooperative one keeps
 * the records of the partitions that stay. Every other batch comes from the consumer, at the positions the task and
 * the worker sought.
 *
 * <p>The worker drops a revoked partition's records by the topic and partition the record names after the transforms
 * ({@link SinkRecord#topic()}), so that is what is held here, as the worker does.
 */
public final class Redelivery {

    /** The partitions with records in the batch the worker holds for redelivery. */
    private final Set<TopicPartition> held = new HashSet<>();

    /** {@code put} is about to throw a retriable exception: the worker will deliver this batch again. */
    public void retryRequested(Collection<SinkRecord> batch) {
        for (SinkRecord record : batch) {
            held.add(new TopicPartition(record.topic(), record.kafkaPartition()));
        }
    }

    /** The worker drops the held records of revoked partitions. */
    public void revoked(Collection<TopicPartition> partitions) {
        held.removeAll(partitions);
    }

    /**
     * Starts a batch.
     *
     * @return whether it is the batch a retriable failure held back, delivered again
     */
    public boolean startBatch() {
        boolean redelivered = !held.isEmpty();
        held.clear();
        return redelivered;
    }

    /**
     * The failure of a task handed, in a batch fetched anew, a record below the offset its partition had reached:
     * the partition's log started over under the same name. Neither counting nor passing over such records is safe,
     * so both sinks stop with this, in the same words.
     *
     * @param reached     what the task had done with the partition ("counted", "taken")
     * @param nextOffset  the offset the task expected next
     * @param held        where what the task holds of the partition is, in a parenthesis
     * @param consequence what the sink does not do, and what the operator does to take the new log in
     */
    public static ConnectException startedOver(SinkRecord record, String reached, long nextOffset, String held,
                                               String consequence) {
        return new ConnectException(record.originalTopic() + "-" + record.originalKafkaPartition()
                + ": the worker delivered offset " + record.originalKafkaOffset() + " after this task had " + reached
                + " the partition up to offset " + nextOffset + " (" + held + "), without a seek back. The partition's"
                + " log started over: the topic was deleted and created again, or an unclean leader election dropped"
                + " records. " + consequence);
    }
}
