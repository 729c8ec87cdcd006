package io.orderflow.source.jdbc;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jdbc cursor's offsets: what a task stores decodes to the same cursor, and what an operator writes is checked. */
class JdbcOffsetsTest {

    private static final Map<String, Object> PARTITION = JdbcOffsets.partition("public.orders", 0, 2);

    private static Map<String, Object> offset(Object... pairs) {
        Map<String, Object> offset = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            offset.put((String) pairs[i], pairs[i + 1]);
        }
        return offset;
    }

    @Test
    void aStoredCursorDecodesToItselfWithTheColumnsFullPrecision() {
        TableCursor cursor = new TableCursor("10:20:12,15", "18:30:18", Instant.parse("2026-07-01T09:58:00.123456Z"), 42L);
        assertEquals(cursor, JdbcOffsets.decode(JdbcOffsets.offset(cursor)));
        TableCursor text = new TableCursor(null, "5:5:", Instant.parse("2026-07-01T09:58:00Z"), "o-17");
        assertEquals(text, JdbcOffsets.decode(JdbcOffsets.offset(text)));
        assertEquals(TableCursor.start(), JdbcOffsets.decode(JdbcOffsets.offset(TableCursor.start())));
    }

    @Test
    void anOperatorMayGiveOnlyATimestampOrResetTheOffset() {
        JdbcOffsets.validate(PARTITION, offset("timestamp", "2026-07-01T00:00:00Z"));
        JdbcOffsets.validate(PARTITION, null);
        assertEquals(5L, JdbcOffsets.decode(offset("timestamp", "2026-07-01T00:00:00Z", "id", 5)).id(),
                "an int from JSON is the long the task binds");
    }

    @Test
    void malformedOffsetsAreRefusedNamingTheKey() {
        assertRefused("'timestamp' must be an ISO-8601", offset("timestamp", "yesterday"));
        assertRefused("'snapshot_to' must be a pg_snapshot", offset("snapshot_to", "10:20"));
        assertRefused("'id' needs a 'timestamp'", offset("id", 5));
        assertRefused("'id' must be an integer or a string", offset("timestamp", "2026-07-01T00:00:00Z", "id", 1.5));
        assertRefused("keys other than", offset("position", 3));
        assertRefused("needs its 'snapshot_to'", offset("snapshot_from", "1:1:", "timestamp", "2026-07-01T00:00:00Z"));
    }

    @Test
    void partitionsMustNameAJdbcTaskOfTheConnector() {
        Map<String, Object> partition = new HashMap<>(PARTITION);
        partition.put("task", 2);
        ConnectException e = assertThrows(ConnectException.class, () -> JdbcOffsets.validate(partition, null));
        assertTrue(e.getMessage().contains("'task' must be an integer in [0, tasks)"), e.getMessage());
        partition.remove("task");
        assertThrows(ConnectException.class, () -> JdbcOffsets.validate(partition, null));
    }

    private static void assertRefused(String fragment, Map<String, Object> offset) {
        ConnectException e = assertThrows(ConnectException.class, () -> JdbcOffsets.validate(PARTITION, offset));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
