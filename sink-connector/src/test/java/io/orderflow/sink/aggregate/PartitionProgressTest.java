package io.orderflow.sink.aggregate;

import io.orderflow.sink.aggregate.summary.SummaryTable.OffsetAdvance;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The aggregate task's per-partition state machine, transition by transition. */
class PartitionProgressTest {

    @Test
    void anAssignedPartitionWaitsForItsStoredOffsetThenCountsFromIt() {
        PartitionProgress progress = PartitionProgress.assigned();
        assertTrue(progress.awaitingStoredOffset());
        assertEquals(40, progress.resumeFrom(OptionalLong.of(40)));
        assertFalse(progress.awaitingStoredOffset());
        assertTrue(progress.alreadyCounted(39));
        assertFalse(progress.alreadyCounted(40));
        assertEquals(Optional.empty(), progress.advance(), "nothing counted beyond what is stored");
        progress.counted(40);
        progress.counted(41);
        assertTrue(progress.alreadyCounted(41), "a redelivered batch is skipped");
        assertEquals(Optional.of(new OffsetAdvance(OptionalLong.of(40), 42)), progress.advance());
        progress.stored(42);
        assertEquals(OptionalLong.of(42), progress.storedOffset());
        assertEquals(Optional.empty(), progress.advance());
    }

    @Test
    void withNothingStoredARewindGoesBackToTheFirstCountedRecord() {
        PartitionProgress progress = PartitionProgress.assigned();
        assertEquals(-1, progress.resumeFrom(OptionalLong.empty()), "no stored offset: the consumer keeps its position");
        progress.counted(7);
        progress.counted(8);
        progress.rewind();
        assertTrue(progress.awaitingStoredOffset());
        assertEquals(7, progress.resumeFrom(OptionalLong.empty()), "the deltas of 7 and 8 were dropped: count them again");
        assertFalse(progress.alreadyCounted(7));
    }

    @Test
    void passingFilteredRecordsMovesTheOffsetToStoreButNeverBack() {
        PartitionProgress progress = PartitionProgress.assigned();
        progress.resumeFrom(OptionalLong.of(10));
        progress.passTo(25);
        assertEquals(Optional.of(new OffsetAdvance(OptionalLong.of(10), 25)), progress.advance());
        progress.passTo(12);
        assertEquals(Optional.of(new OffsetAdvance(OptionalLong.of(10), 25)), progress.advance(), "a stale position is ignored");
        assertTrue(progress.alreadyCounted(24));
    }
}
