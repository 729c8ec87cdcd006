package io.orderflow.sink.aggregate.summary;

/**
 * The SQL one warehouse needs to keep a summary exactly-once: the summary and offsets tables, the delta upsert
 * (PostgreSQL and DuckDB {@code INSERT ... ON CONFLICT DO UPDATE}, Snowflake {@code MERGE}), and the offsets
 * claim, fenced advance, read and removal. Parameters are bound in the layout's value-column order.
 */
interface AggregateDialect {

    String createSummary(SummaryLayout layout);

    String createOffsets(SummaryLayout layout);

    /** The table's column names, lower case; empty when the table is missing. */
    String listColumns(SummaryLayout layout);

    String addColumn(SummaryLayout layout, SummaryLayout.Column column);

    /** Adds one row's delta; parameters: the layout's value columns. */
    String upsertDelta(SummaryLayout layout);

    /** Parameters: connector, topic, partition. Columns: next_offset. */
    String readOffset(SummaryLayout layout);

    /** First offset of a partition, only if none is stored: parameters connector, topic, partition, next offset. */
    String claimOffset(SummaryLayout layout);

    /**
     * Moves a partition's offset on, only from the value this task last read or wrote, so a task that lost the
     * partition to another cannot write over its progress: parameters next offset, connector, topic, partition,
     * expected offset.
     */
    String advanceOffset(SummaryLayout layout);

    /** Forgets a partition's offset: parameters connector, topic, partition. */
    String deleteOffset(SummaryLayout layout);

    /** Forgets every offset of a connector: parameter connector. */
    String deleteConnectorOffsets(SummaryLayout layout);

    /** How a bound timestamp (an ISO-8601 UTC string parameter) becomes a timestamp with time zone. */
    String timestampParameter();
}
