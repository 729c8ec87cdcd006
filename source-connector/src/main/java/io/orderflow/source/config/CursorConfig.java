package io.orderflow.source.config;

import io.orderflow.common.config.Choices;
import io.orderflow.common.sql.ColumnName;
import io.orderflow.source.jdbc.JdbcDialect;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.util.Optional;

/** How the jdbc reader follows the table: the cursor's columns, the fence that keeps it behind open transactions, polling and retries. */
public final class CursorConfig {

    static final String GROUP = "JDBC cursor";

    public static final String TIMESTAMP_COLUMN = "jdbc.cursor.timestamp.column";
    public static final String ID_COLUMN = "jdbc.cursor.id.column";
    public static final String FENCE = "jdbc.cursor.fence";
    public static final String XID_COLUMN = "jdbc.cursor.xid.column";
    public static final String SAFETY_LAG_MS = "jdbc.cursor.safety.lag.ms";
    public static final String POLL_INTERVAL_MS = "jdbc.poll.interval.ms";
    public static final String RETRY_BACKOFF_MS = "jdbc.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "jdbc.retry.backoff.max.ms";

    private final ColumnName timestampColumn;
    private final ColumnName idColumn;
    private final CursorFence fence;
    private final Optional<ColumnName> xidColumn;
    private final long safetyLagMs;
    private final long pollIntervalMs;
    private final long retryBackoffMs;
    private final long retryBackoffMaxMs;

    CursorConfig(AbstractConfig config, JdbcDialect dialect) {
        timestampColumn = new ColumnName(config.getString(TIMESTAMP_COLUMN));
        idColumn = new ColumnName(config.getString(ID_COLUMN));
        String xid = config.getString(XID_COLUMN).trim();
        xidColumn = xid.isEmpty() ? Optional.empty() : Optional.of(new ColumnName(xid));
        CursorFence configured = CursorFence.fromConfig(config.getString(FENCE));
        fence = configured != CursorFence.AUTO ? configured
                : dialect == JdbcDialect.POSTGRESQL ? CursorFence.SNAPSHOT : CursorFence.SAFETY_LAG;
        safetyLagMs = config.getLong(SAFETY_LAG_MS);
        pollIntervalMs = config.getLong(POLL_INTERVAL_MS);
        retryBackoffMs = config.getLong(RETRY_BACKOFF_MS);
        retryBackoffMaxMs = config.getLong(RETRY_BACKOFF_MAX_MS);
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(TIMESTAMP_COLUMN, Type.STRING, "updated_at", ColumnName.validator(), Importance.HIGH,
                        "Timestamp column set on every insert and update: with " + ID_COLUMN + " it orders "
                                + "the rows, and the source offset holds the last (timestamp, id) emitted. Index the two columns together "
                                + "(CREATE INDEX ON orders (updated_at, id)): each query is then one index range.",
                        GROUP, ++order, Width.SHORT, "Cursor timestamp column")
                .define(ID_COLUMN, Type.STRING, "id", ColumnName.validator(), Importance.HIGH,
                        "Unique, non-null column that breaks ties between rows with the same cursor timestamp "
                                + "(an integer or text column; usually the primary key).",
                        GROUP, ++order, Width.SHORT, "Cursor id column")
                .define(FENCE, Type.STRING, CursorFence.AUTO.configValue(), Choices.of(CursorFence.configValues()),
                        Importance.HIGH,
                        "What keeps the cursor from passing a row whose transaction commits later. 'snapshot' "
                                + "(PostgreSQL 13+): each poll reads the row versions whose transaction committed "
                                + "between two database snapshots, so a late commit is read exactly once, whatever "
                                + "its timestamp. 'safety-lag' (any database): rows newer than now minus "
                                + SAFETY_LAG_MS + " are left for a later poll; a transaction that commits "
                                + "later than that is missed. 'auto': snapshot on PostgreSQL, safety-lag elsewhere.",
                        GROUP, ++order, Width.SHORT, "Cursor fence")
                .define(XID_COLUMN, Type.STRING, "", Importance.LOW,
                        "With the snapshot fence: an xid8 column filled with pg_current_xact_id() by a trigger on "
                                + "insert and update, to use instead of the row's system column xmin. Needed for a view "
                                + "(views have no xmin) and exact for rows of any age; xmin is exact for row versions "
                                + "younger than 2^32 transactions (see the README). Empty: xmin.",
                        GROUP, ++order, Width.SHORT, "Cursor xid column")
                .define(SAFETY_LAG_MS, Type.LONG, 5_000L, Range.atLeast(0), Importance.MEDIUM,
                        "With the safety-lag fence: rows whose cursor timestamp is newer than now minus this lag "
                                + "wait for a later poll. A transaction that commits later than this after setting "
                                + "its timestamp is missed: a bound, not a guarantee.",
                        GROUP, ++order, Width.SHORT, "Safety lag (ms)")
                .define(POLL_INTERVAL_MS, Type.LONG, 1_000L, Range.between(10L, 3_600_000L), Importance.MEDIUM,
                        "How long a task waits before it queries again once it has read everything committed.",
                        GROUP, ++order, Width.SHORT, "Poll interval (ms)")
                .define(RETRY_BACKOFF_MS, Type.LONG, 1_000L, Range.between(1L, 600_000L), Importance.LOW,
                        "First wait after a database error; it doubles on each further error up to "
                                + RETRY_BACKOFF_MAX_MS + ". Errors are retried without end, the cursor unmoved; only "
                                + "authentication and permission errors fail the task.",
                        GROUP, ++order, Width.SHORT, "Retry backoff (ms)")
                .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 60_000L, Range.between(1L, 3_600_000L), Importance.LOW,
                        "Longest wait between retries after database errors.",
                        GROUP, ++order, Width.SHORT, "Max retry backoff (ms)");
    }

    public ColumnName timestampColumn() {
        return timestampColumn;
    }

    public ColumnName idColumn() {
        return idColumn;
    }

    /** The fence in force: {@code auto} resolved for the URL's database. */
    public CursorFence fence() {
        return fence;
    }

    /** The xid8 column that replaces the system column xmin, if configured. */
    public Optional<ColumnName> xidColumn() {
        return xidColumn;
    }

    public long safetyLagMs() {
        return safetyLagMs;
    }

    public long pollIntervalMs() {
        return pollIntervalMs;
    }

    public long retryBackoffMs() {
        return retryBackoffMs;
    }

    public long retryBackoffMaxMs() {
        return retryBackoffMaxMs;
    }
}
