package io.orderflow.sink;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which batch is the one the worker holds back after a retriable failure, as WorkerSinkTask keeps it. */
class RedeliveryTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    private static SinkRecord at(TopicPartition tp, long offset) {
        return new SinkRecord(tp.topic(), tp.partition(), null, null, null, null, offset);
    }

    @Test
    void onlyTheBatchAfterARetriableFailureIsARedelivery() {
        Redelivery redelivery = new Redelivery();
        assertFalse(redelivery.startBatch());
        redelivery.retryRequested(List.of(at(P0, 0), at(P1, 0)));
        assertTrue(redelivery.startBatch());
        assertFalse(redelivery.startBatch(), "the redelivered batch went through: the next one is fetched");
    }

    @Test
    void aCooperativeRebalanceKeepsTheRecordsOfPartitionsThatStay() {
        Redelivery redelivery = new Redelivery();
        redelivery.retryRequested(List.of(at(P0, 0), at(P1, 0)));
        redelivery.revoked(List.of(P1));
        assertTrue(redelivery.startBatch(), "P0's records are delivered again");
    }

    @Test
    void revokingEveryPartitionOfTheBatchDropsIt() {
        Redelivery redelivery = new Redelivery();
        redelivery.retryRequested(List.of(at(P0, 0), at(P1, 0)));
        redelivery.revoked(List.of(P0, P1));   // an eager rebalance revokes everything
        assertFalse(redelivery.startBatch(), "the worker fetches anew, from where open() seeks");
    }

    @Test
    void theWorkerDropsRecordsByTheTopicTheTransformsGaveThem() {
        Redelivery redelivery = new Redelivery();
        SinkRecord routed = at(P0, 0).newRecord("orders-routed", 0, null, null, null, null, null);
        redelivery.retryRequested(List.of(routed));
        redelivery.revoked(List.of(P0));
        assertTrue(redelivery.startBatch(), "WorkerSinkTask matches revoked partitions against record.topic(), so it keeps this one");
    }

    @Test
    void aFailedEmptyBatchHoldsNothingBack() {
        Redelivery redelivery = new Redelivery();
        redelivery.retryRequested(List.of());
        assertFalse(redelivery.startBatch());
    }
}
