package io.orderflow.source.jdbc;

import java.time.Instant;

/**
 * Where a jdbc reader task stands: the last row version it emitted, in cursor order ({@code timestamp}, {@code id}),
 * and, with the snapshot fence, the two database snapshots whose difference it is reading. The versions it reads are
 * those whose transaction is visible in {@code snapshotTo} but was not in {@code snapshotFrom} (no {@code snapshotFrom}:
 * everything visible in {@code snapshotTo}, the first pass over the table).
 *
 * @param snapshotFrom a {@code pg_snapshot} in text form, or null
 * @param snapshotTo   a {@code pg_snapshot} in text form, or null while the next one is still to be taken
 * @param timestamp    the cursor timestamp of the last version emitted in this pass, or null: from the start
 * @param id           its cursor id (Long or String), or null: every row at {@code timestamp} (inclusive)
 */
public record TableCursor(String snapshotFrom, String snapshotTo, Instant timestamp, Object id) {

    /** A task with no stored offset: a first pass over everything the table holds. */
    public static TableCursor start() {
        return new TableCursor(null, null, null, null);
    }

    public TableCursor withSnapshotTo(String snapshot) {
        return new TableCursor(snapshotFrom, snapshot, timestamp, id);
    }

    /** Past the row version at ({@code timestamp}, {@code id}). */
    public TableCursor after(Instant rowTimestamp, Object rowId) {
        return new TableCursor(snapshotFrom, snapshotTo, rowTimestamp, rowId);
    }

    /** This pass is read to its end: the next reads what commits after {@code snapshotTo}, from the first row. */
    public TableCursor nextPass() {
        return new TableCursor(snapshotTo, null, null, null);
    }
}
