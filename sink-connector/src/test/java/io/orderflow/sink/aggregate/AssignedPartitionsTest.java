package io.orderflow.sink.aggregate;

import io.orderflow.testing.WorkerlessSinkTaskContext;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a partition resumes after its deltas were dropped. The case that lost records before: a rewind resolved in the
 * middle of a batch whose flush then failed retriably. The worker delivers that same batch again before the seek takes
 * effect; had its records counted, the partition's progress would have jumped past the records the seek brings back.
 */
class AssignedPartitionsTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);

    private static SinkRecord at(long offset) {
        return new SinkRecord(P0.topic(), P0.partition(), null, null, null, null, offset);
    }

    @Test
    void aRedeliveredBatchFromBeforeTheSeekIsSkippedAgainAndItsPositionNotTakenOver() {
        WorkerlessSinkTaskContext context = new WorkerlessSinkTaskContext();
        AssignedPartitions partitions = new AssignedPartitions(context);
        partitions.assign(List.of(P0));
        partitions.resolve(tp -> OptionalLong.of(100));
        partitions.startBatch(false);
        for (long offset = 100; offset < 151; offset++) {
            partitions.of(at(offset)).counted(offset);
        }
        partitions.rewindAll();   // fenced: the deltas of 100..150 are dropped
        context.seeks().clear();

        partitions.startBatch(false);
        partitions.resolve(tp -> OptionalLong.of(100));   // mid-batch: this batch holds 151..160
        assertEquals(List.of(Map.entry(P0, 100L)), context.seeks());
        assertTrue(partitions.awaitsSeek(P0));

        partitions.startBatch(true);   // the flush failed retriably: the same batch 151..160 again
        assertTrue(partitions.awaitsSeek(P0), "records of a redelivered batch predate the seek");
        partitions.passFilteredRecords(Map.of(P0, new OffsetAndMetadata(161)));
        assertEquals(java.util.Optional.empty(), partitions.advances().values().stream().findAny()
                .filter(advance -> advance.next() > 100), "the stale consumed position is not taken over");

        partitions.startBatch(false);   // a new batch, from the seek position
        assertFalse(partitions.awaitsSeek(P0));
        PartitionProgress progress = partitions.of(at(100));
        assertFalse(progress.alreadyCounted(100), "offset 100 is counted again, not lost");
    }
}
