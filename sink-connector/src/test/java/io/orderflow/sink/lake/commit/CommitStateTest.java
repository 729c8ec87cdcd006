package io.orderflow.sink.lake.commit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lake's commit protocol for one partition, as a state machine: write → close → marker → load. */
class CommitStateTest {

    @Test
    void aCommitGoesFromWritingThroughClosingAndLoadingBackToWriting() {
        CommitState state = new CommitState();
        assertTrue(state.isNew(0));
        state.advancedPast(0);
        state.advancedPast(1);
        assertFalse(state.isNew(1), "a redelivered record");
        assertEquals(-1, state.committedOffset());
        assertFalse(state.idle(true), "open files");

        state.startCommit();
        assertEquals(CommitState.Phase.CLOSING, state.phase());
        assertTrue(state.isCommitInProgress(), "a failed upload leaves the commit to finish first");
        state.marked(List.of("a.parquet"));
        assertEquals(CommitState.Phase.LOADING, state.phase());
        assertEquals(2, state.committedOffset());
        assertEquals(List.of("a.parquet"), state.pendingLoads());
        assertFalse(state.idle(false), "files wait to be loaded");

        state.loaded();
        assertEquals(CommitState.Phase.WRITING, state.phase());
        assertTrue(state.idle(false));
    }

    @Test
    void noNewMarkerWhileThePreviousFilesAreNotLoaded() {
        CommitState state = new CommitState();
        state.advancedPast(0);
        state.startCommit();
        state.marked(List.of("a.parquet"));
        state.advancedPast(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, state::startCommit);
        assertTrue(e.getMessage().contains("a.parquet"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> state.marked(List.of("b.parquet")),
                "a marker only finishes a started commit");
    }

    @Test
    void aResumedPartitionLoadsItsMarkersFilesFirst() {
        CommitState state = new CommitState();
        state.resumeAt(40, List.of("x.parquet"));
        assertEquals(CommitState.Phase.LOADING, state.phase());
        assertFalse(state.isNew(39));
        assertTrue(state.isNew(40));
        assertThrows(IllegalStateException.class, state::startCommit);
        state.loaded();
        assertTrue(state.idle(false));

        CommitState nothingToLoad = new CommitState();
        nothingToLoad.resumeAt(7, List.of());
        assertEquals(CommitState.Phase.WRITING, nothingToLoad.phase());
    }

    @Test
    void skippedRecordsAloneStillMoveTheMarker() {
        CommitState state = new CommitState();
        state.resumeAt(10, List.of());
        assertFalse(state.hasUncommittedSkips(false));
        state.advancedPast(10);   // a tombstone, ignored
        assertTrue(state.hasUncommittedSkips(false));
        assertFalse(state.idle(false));
        state.startCommit();
        state.marked(List.of());
        assertEquals(CommitState.Phase.WRITING, state.phase(), "no files: nothing to load");
        assertEquals(11, state.committedOffset());
    }
}
