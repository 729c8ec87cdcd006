package io.orderflow.source.jdbc;

/** The database behind a JDBC URL, as far as the reader's SQL differs. */
public enum JdbcDialect {
    /** Snapshot fence, task split by hash of the order id. */
    POSTGRESQL,
    /** Portable SQL only: the safety-lag fence and one task. */
    OTHER;

    public static JdbcDialect of(String url) {
        return url != null && url.trim().startsWith("jdbc:postgresql:") ? POSTGRESQL : OTHER;
    }
}
