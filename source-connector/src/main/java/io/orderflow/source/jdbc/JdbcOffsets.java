package io.orderflow.source.jdbc;

import org.apache.kafka.connect.errors.ConnectException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Source partitions and offsets of jdbc reader tasks.
 *
 * <p>A partition names one task's share of a table: {@code {"reader": "jdbc", "table", "task", "tasks"}}. Its offset
 * is the task's {@link TableCursor}: {@code {"snapshot_from", "snapshot_to", "timestamp", "id"}}, each possibly null,
 * {@code timestamp} an ISO-8601 instant with the column's full precision. Operators move it over REST
 * ({@code PATCH /connectors/{name}/offsets}); {@link #validate} checks the shape first. To read again every row from
 * a time on: {@code {"timestamp": "2026-07-01T00:00:00Z"}} (a first pass from that time).
 */
public final class JdbcOffsets {

    public static final String READER = "reader";
    public static final String JDBC = "jdbc";
    static final String TABLE = "table";
    static final String TASK = "task";
    static final String TASKS = "tasks";

    static final String SNAPSHOT_FROM = "snapshot_from";
    static final String SNAPSHOT_TO = "snapshot_to";
    static final String TIMESTAMP = "timestamp";
    static final String ID = "id";

    private static final Set<String> PARTITION_KEYS = Set.of(READER, TABLE, TASK, TASKS);
    private static final Set<String> OFFSET_KEYS = Set.of(SNAPSHOT_FROM, SNAPSHOT_TO, TIMESTAMP, ID);
    /** {@code pg_snapshot} text: xmin:xmax:xip,xip,... */
    private static final Pattern SNAPSHOT = Pattern.compile("\\d+:\\d+:(\\d+(,\\d+)*)?");

    private JdbcOffsets() {
    }

    /** A HashMap, as the worker rebuilds partitions (see {@code GeneratorOffsets.partition} for why it matters). */
    public static Map<String, Object> partition(String table, int task, int tasks) {
        Map<String, Object> partition = new HashMap<>();
        partition.put(READER, JDBC);
        partition.put(TABLE, table);
        partition.put(TASK, task);
        partition.put(TASKS, tasks);
        return partition;
    }

    public static Map<String, Object> offset(TableCursor cursor) {
        Map<String, Object> offset = new HashMap<>();
        offset.put(SNAPSHOT_FROM, cursor.snapshotFrom());
        offset.put(SNAPSHOT_TO, cursor.snapshotTo());
        offset.put(TIMESTAMP, cursor.timestamp() == null ? null : cursor.timestamp().toString());
        offset.put(ID, cursor.id());
        return offset;
    }

    /** @throws ConnectException naming the offending key */
    public static TableCursor decode(Map<String, ?> offset) {
        if (!OFFSET_KEYS.containsAll(offset.keySet())) {
            throw new ConnectException("Source offset " + offset + " has keys other than " + OFFSET_KEYS);
        }
        String from = snapshot(offset, SNAPSHOT_FROM);
        String to = snapshot(offset, SNAPSHOT_TO);
        Instant timestamp = null;
        if (offset.get(TIMESTAMP) != null) {
            try {
                timestamp = Instant.parse(offset.get(TIMESTAMP).toString());
            } catch (DateTimeParseException e) {
                throw new ConnectException("Source offset " + offset + ": '" + TIMESTAMP + "' must be an ISO-8601 instant such "
                        + "as 2026-07-01T09:58:00.123456Z, was " + offset.get(TIMESTAMP));
            }
        }
        Object id = offset.get(ID);
        if (id instanceof Integer || id instanceof Short || id instanceof Byte) {
            id = ((Number) id).longValue();
        }
        if (id != null && !(id instanceof Long) && !(id instanceof String)) {
            throw new ConnectException("Source offset " + offset + ": '" + ID + "' must be an integer or a string, was "
                    + id.getClass().getSimpleName());
        }
        if (id != null && timestamp == null) {
            throw new ConnectException("Source offset " + offset + ": '" + ID + "' needs a '" + TIMESTAMP + "'");
        }
        if (from != null && to == null && timestamp != null) {
            throw new ConnectException("Source offset " + offset + ": a position in a pass needs its '" + SNAPSHOT_TO + "'");
        }
        return new TableCursor(from, to, timestamp, id);
    }

    /** Checks a partition and offset as an operator may write them. A null offset (a reset) is always accepted. */
    public static void validate(Map<String, ?> partition, Map<String, ?> offset) {
        if (partition == null || !partition.keySet().equals(PARTITION_KEYS)) {
            throw new ConnectException("Source partition " + partition + " must have exactly the keys " + PARTITION_KEYS);
        }
        if (!JDBC.equals(partition.get(READER)) || !(partition.get(TABLE) instanceof String)) {
            throw new ConnectException("Source partition " + partition + ": '" + READER + "' must be 'jdbc' and '" + TABLE
                    + "' a table name");
        }
        if (!(partition.get(TASK) instanceof Number task) || !(partition.get(TASKS) instanceof Number tasks)
                || tasks.longValue() < 1 || task.longValue() < 0 || task.longValue() >= tasks.longValue()) {
            throw new ConnectException("Source partition " + partition + ": '" + TASK + "' must be an integer in [0, "
                    + TASKS + ")");
        }
        if (offset != null) {
            decode(offset);
        }
    }

    private static String snapshot(Map<String, ?> offset, String key) {
        Object value = offset.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text) || !SNAPSHOT.matcher(text).matches()) {
            throw new ConnectException("Source offset " + offset + ": '" + key + "' must be a pg_snapshot as text "
                    + "(xmin:xmax:xip,...), was " + value);
        }
        return text;
    }
}
