package io.orderflow.sink.lake.commit;

import java.util.List;

/**
 * Where one topic partition stands in the lake's commit protocol, changed only through named transitions:
 *
 * <pre>
 *   WRITING --startCommit()--> CLOSING --marked(keys)--> LOADING --loaded()--> WRITING (idle)
 *             (files closed; uploads     (marker written;          (files in the warehouse)
 *              may fail and be retried)   files not yet loaded)
 * </pre>
 *
 * The ordering rule of the protocol is enforced here: a new marker is never written while the previous commit's
 * files are still to be loaded ({@link #marked} refuses), so a crash at any point leaves at most one commit whose
 * files the next owner loads again from its marker. Offsets: {@link #nextOffset()} is the next record this writer
 * expects, {@link #closingOffset()} the one the started commit's marker will name, {@link #committedOffset()} the
 * offset up to which (exclusive) everything is in the store.
 *
 * <p>Threads: records are written on the task thread while a started commit finishes on the task's commit thread,
 * so the next offset belongs to the task thread alone (it is read and moved per record, unsynchronised) and
 * everything a commit changes — phase, committed offset, files to load — is read and changed under this object's
 * lock.
 */
public final class CommitState {

    /** The phases of a partition's commit. */
    public enum Phase {
        /** Records go into open files; nothing of them is in the store yet. */
        WRITING,
        /** The files are closed and being uploaded; a failed upload is retried under the same names. */
        CLOSING,
        /** The marker is written; its files are still to be loaded into the warehouse. */
        LOADING
    }

    private static final long UNKNOWN = -1;

    private Phase phase = Phase.WRITING;
    private long nextOffset = UNKNOWN;
    private long committedOffset = UNKNOWN;
    private long closingOffset = UNKNOWN;
    private List<String> pendingLoads = List.of();

    public synchronized Phase phase() {
        return phase;
    }

    /**
     * The partition starts after a marker: records before {@code offset} are in the store, and the marker's files
     * may not have reached the warehouse (the previous owner may have died in between), so they are loaded again.
     *
     * @param lastCommittedFiles the marker's files; empty when nothing is loaded into a warehouse
     */
    public synchronized void resumeAt(long offset, List<String> lastCommittedFiles) {
        nextOffset = offset;
        committedOffset = offset;
        pendingLoads = List.copyOf(lastCommittedFiles);
        phase = pendingLoads.isEmpty() ? Phase.WRITING : Phase.LOADING;
    }

    /** Whether a record is new to this writer; a batch redelivered after a retriable error is not. */
    public boolean isNew(long offset) {
        return nextOffset == UNKNOWN || offset >= nextOffset;
    }

    /** A record was written into an open file, or passed over (ignored tombstone, DLQ): the next one follows it. */
    public void advancedPast(long offset) {
        nextOffset = offset + 1;
    }

    /**
     * The open files are closed for this commit, which will cover everything before the current {@link #nextOffset()};
     * records that come while it finishes go into new files, for the next commit.
     */
    public synchronized void startCommit() {
        requireLoaded("start a commit");
        if (phase != Phase.WRITING) {
            throw new IllegalStateException("A commit starts only once the previous one is finished, not in phase " + phase);
        }
        closingOffset = nextOffset;
        phase = Phase.CLOSING;
    }

    /** Whether a commit was started and its marker is not written yet (in flight, or its upload failed). */
    public synchronized boolean isCommitInProgress() {
        return phase == Phase.CLOSING;
    }

    /** The offset the started commit's marker names: everything before it is in that commit's files or passed over. */
    public synchronized long closingOffset() {
        return closingOffset;
    }

    /** The marker covering everything before {@link #closingOffset()} is written: its files are to be loaded. */
    public synchronized void marked(List<String> fileKeys) {
        if (phase != Phase.CLOSING) {
            throw new IllegalStateException("A marker is written only to finish a started commit, not in phase " + phase);
        }
        committedOffset = closingOffset;
        pendingLoads = List.copyOf(fileKeys);
        phase = pendingLoads.isEmpty() ? Phase.WRITING : Phase.LOADING;
    }

    /** The files to load before anything else happens: those of the last marker, until {@link #loaded()}. */
    public synchronized List<String> pendingLoads() {
        return pendingLoads;
    }

    public synchronized void loaded() {
        pendingLoads = List.of();
        if (phase == Phase.LOADING) {
            phase = Phase.WRITING;
        }
    }

    /**
     * Whether records were passed over (no files) since the last marker, which must then move past them; not while a
     * commit is finishing, whose marker may yet cover them.
     */
    public synchronized boolean hasUncommittedSkips(boolean filesOpen) {
        return !filesOpen && phase == Phase.WRITING && nextOffset != UNKNOWN && nextOffset > committedOffset;
    }

    /** Whether the marker covers all this writer was given and nothing waits to be loaded. */
    public synchronized boolean idle(boolean filesOpen) {
        return !filesOpen && phase == Phase.WRITING && (nextOffset == UNKNOWN || nextOffset == committedOffset);
    }

    public long nextOffset() {
        return nextOffset;
    }

    /** The offset up to which (exclusive) everything is in the store; -1 while unknown. */
    public synchronized long committedOffset() {
        return committedOffset;
    }

    private void requireLoaded(String what) {
        if (!pendingLoads.isEmpty()) {
            throw new IllegalStateException("Cannot " + what + " while the last commit's files " + pendingLoads
                    + " are not loaded: a new marker would replace them");
        }
    }
}
