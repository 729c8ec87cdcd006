package io.orderflow.sink.aggregate.summary;

import io.orderflow.sink.aggregate.config.AggregateSpec;
import io.orderflow.common.sql.TableName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The exact aggregate SQL. PostgreSQL and DuckDB statements also run against the real engines in
 * {@code SummaryTableTest}; Snowflake's are reviewed here against its documented MERGE, INSERT ... SELECT and UPDATE
 * grammar, as no Snowflake runs here.
 */
class AggregateSqlTest {

    private static final SummaryLayout DEFAULT = SummaryLayout.of(TableName.parse("analytics.orders_minute_summary"), List.of(),
            AggregateSpec.parseAll(List.of("total_orders=count", "total_revenue=sum(amount)", "avg_order_value=avg(amount)")), 2);

    @Test
    void snowflakeMergeAddsDeltasAndDerivesTheAverageFromExactSumAndCount() {
        assertEquals("MERGE INTO \"ANALYTICS\".\"ORDERS_MINUTE_SUMMARY\" AS t USING (SELECT TO_TIMESTAMP_TZ(?) AS \"WINDOW_START\", "
                        + "TO_TIMESTAMP_TZ(?) AS \"WINDOW_END\", CAST(? AS NUMBER(38, 0)) AS \"TOTAL_ORDERS\", "
                        + "CAST(? AS NUMBER(38, 2)) AS \"TOTAL_REVENUE\", CAST(? AS NUMBER(38, 2)) AS \"_AVG_ORDER_VALUE_SUM\", "
                        + "CAST(? AS NUMBER(38, 0)) AS \"_AVG_ORDER_VALUE_COUNT\") AS d "
                        + "ON t.\"WINDOW_START\" = d.\"WINDOW_START\" AND t.\"WINDOW_END\" = d.\"WINDOW_END\" "
                        + "WHEN MATCHED THEN UPDATE SET t.\"TOTAL_ORDERS\" = COALESCE(t.\"TOTAL_ORDERS\", 0) + d.\"TOTAL_ORDERS\", "
                        + "t.\"TOTAL_REVENUE\" = COALESCE(t.\"TOTAL_REVENUE\", 0) + d.\"TOTAL_REVENUE\", "
                        + "t.\"_AVG_ORDER_VALUE_SUM\" = COALESCE(t.\"_AVG_ORDER_VALUE_SUM\", 0) + d.\"_AVG_ORDER_VALUE_SUM\", "
                        + "t.\"_AVG_ORDER_VALUE_COUNT\" = COALESCE(t.\"_AVG_ORDER_VALUE_COUNT\", 0) + d.\"_AVG_ORDER_VALUE_COUNT\", "
                        + "t.\"AVG_ORDER_VALUE\" = ROUND((COALESCE(t.\"_AVG_ORDER_VALUE_SUM\", 0) + d.\"_AVG_ORDER_VALUE_SUM\") / "
                        + "NULLIF(COALESCE(t.\"_AVG_ORDER_VALUE_COUNT\", 0) + d.\"_AVG_ORDER_VALUE_COUNT\", 0), 6), "
                        + "t.\"UPDATED_AT\" = CURRENT_TIMESTAMP() "
                        + "WHEN NOT MATCHED THEN INSERT (\"WINDOW_START\", \"WINDOW_END\", \"TOTAL_ORDERS\", \"TOTAL_REVENUE\", "
                        + "\"_AVG_ORDER_VALUE_SUM\", \"_AVG_ORDER_VALUE_COUNT\", \"AVG_ORDER_VALUE\", \"UPDATED_AT\") "
                        + "VALUES (d.\"WINDOW_START\", d.\"WINDOW_END\", d.\"TOTAL_ORDERS\", d.\"TOTAL_REVENUE\", "
                        + "d.\"_AVG_ORDER_VALUE_SUM\", d.\"_AVG_ORDER_VALUE_COUNT\", "
                        + "ROUND(d.\"_AVG_ORDER_VALUE_SUM\" / NULLIF(d.\"_AVG_ORDER_VALUE_COUNT\", 0), 6), CURRENT_TIMESTAMP())",
                new SnowflakeDialect().upsertDelta(DEFAULT));
    }

    @Test
    void snowflakeMinAndMaxIgnoreNullsExplicitly() {
        SummaryLayout layout = SummaryLayout.of(TableName.parse("s"), List.of("currency"),
                AggregateSpec.parseAll(List.of("low=min(amount)", "high=max(amount)")), 2);
        String merge = new SnowflakeDialect().upsertDelta(layout);
        assertEquals(true, merge.contains("t.\"LOW\" = LEAST(COALESCE(t.\"LOW\", d.\"LOW\"), COALESCE(d.\"LOW\", t.\"LOW\"))"), merge);
        assertEquals(true, merge.contains("t.\"HIGH\" = GREATEST(COALESCE(t.\"HIGH\", d.\"HIGH\"), COALESCE(d.\"HIGH\", t.\"HIGH\"))"), merge);
        assertEquals(true, merge.contains("AND t.\"CURRENCY\" = d.\"CURRENCY\""), merge);
    }

    @Test
    void snowflakeTablesAndOffsets() {
        SnowflakeDialect snowflake = new SnowflakeDialect();
        assertEquals("CREATE TABLE IF NOT EXISTS \"ANALYTICS\".\"ORDERS_MINUTE_SUMMARY\" (\"WINDOW_START\" TIMESTAMP_TZ NOT NULL, "
                        + "\"WINDOW_END\" TIMESTAMP_TZ NOT NULL, \"TOTAL_ORDERS\" NUMBER(38, 0), \"TOTAL_REVENUE\" NUMBER(38, 2), "
                        + "\"_AVG_ORDER_VALUE_SUM\" NUMBER(38, 2), \"_AVG_ORDER_VALUE_COUNT\" NUMBER(38, 0), "
                        + "\"AVG_ORDER_VALUE\" NUMBER(38, 6), \"UPDATED_AT\" TIMESTAMP_TZ, PRIMARY KEY (\"WINDOW_START\", \"WINDOW_END\"))",
                snowflake.createSummary(DEFAULT));
        assertEquals("CREATE TABLE IF NOT EXISTS \"ANALYTICS\".\"_ORDERFLOW_AGGREGATE_OFFSETS\" (\"CONNECTOR\" VARCHAR NOT NULL, "
                        + "\"TOPIC\" VARCHAR NOT NULL, \"KAFKA_PARTITION\" NUMBER(10, 0) NOT NULL, \"NEXT_OFFSET\" NUMBER(19, 0) NOT NULL, "
                        + "\"UPDATED_AT\" TIMESTAMP_TZ, PRIMARY KEY (\"CONNECTOR\", \"TOPIC\", \"KAFKA_PARTITION\"))",
                snowflake.createOffsets(DEFAULT));
        assertEquals("INSERT INTO \"ANALYTICS\".\"_ORDERFLOW_AGGREGATE_OFFSETS\" (\"CONNECTOR\", \"TOPIC\", \"KAFKA_PARTITION\", "
                        + "\"NEXT_OFFSET\", \"UPDATED_AT\") SELECT c, t, p, o, CURRENT_TIMESTAMP() FROM (SELECT ? AS c, ? AS t, ? AS p, "
                        + "? AS o) AS claim WHERE NOT EXISTS (SELECT 1 FROM \"ANALYTICS\".\"_ORDERFLOW_AGGREGATE_OFFSETS\" AS x "
                        + "WHERE x.\"CONNECTOR\" = claim.c AND x.\"TOPIC\" = claim.t AND x.\"KAFKA_PARTITION\" = claim.p)",
                snowflake.claimOffset(DEFAULT));
        assertEquals("UPDATE \"ANALYTICS\".\"_ORDERFLOW_AGGREGATE_OFFSETS\" SET \"NEXT_OFFSET\" = ?, \"UPDATED_AT\" = CURRENT_TIMESTAMP() "
                        + "WHERE \"CONNECTOR\" = ? AND \"TOPIC\" = ? AND \"KAFKA_PARTITION\" = ? AND \"NEXT_OFFSET\" = ?",
                snowflake.advanceOffset(DEFAULT));
        assertEquals("SELECT \"NEXT_OFFSET\" FROM \"ANALYTICS\".\"_ORDERFLOW_AGGREGATE_OFFSETS\" "
                + "WHERE \"CONNECTOR\" = ? AND \"TOPIC\" = ? AND \"KAFKA_PARTITION\" = ?", snowflake.readOffset(DEFAULT));
        assertEquals("DELETE FROM \"ANALYTICS\".\"_ORDERFLOW_AGGREGATE_OFFSETS\" "
                + "WHERE \"CONNECTOR\" = ? AND \"TOPIC\" = ? AND \"KAFKA_PARTITION\" = ?", snowflake.deleteOffset(DEFAULT));
        assertEquals("DELETE FROM \"ANALYTICS\".\"_ORDERFLOW_AGGREGATE_OFFSETS\" WHERE \"CONNECTOR\" = ?",
                snowflake.deleteConnectorOffsets(DEFAULT));
        assertEquals("SELECT LOWER(COLUMN_NAME) FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'ORDERS_MINUTE_SUMMARY' "
                + "AND TABLE_SCHEMA = 'ANALYTICS'", snowflake.listColumns(DEFAULT));
    }

    @Test
    void postgresqlUpsertAddsDeltasOnConflict() {
        assertEquals("INSERT INTO \"analytics\".\"orders_minute_summary\" AS t (\"window_start\", \"window_end\", \"total_orders\", "
                        + "\"total_revenue\", \"_avg_order_value_sum\", \"_avg_order_value_count\", \"avg_order_value\", \"updated_at\") "
                        + "SELECT \"window_start\", \"window_end\", \"total_orders\", \"total_revenue\", \"_avg_order_value_sum\", "
                        + "\"_avg_order_value_count\", ROUND(\"_avg_order_value_sum\" / NULLIF(\"_avg_order_value_count\", 0), 6), now() "
                        + "FROM (VALUES (CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ), CAST(? AS BIGINT), CAST(? AS DECIMAL(38, 2)), "
                        + "CAST(? AS DECIMAL(38, 2)), CAST(? AS BIGINT))) AS d (\"window_start\", \"window_end\", \"total_orders\", "
                        + "\"total_revenue\", \"_avg_order_value_sum\", \"_avg_order_value_count\") "
                        + "ON CONFLICT (\"window_start\", \"window_end\") DO UPDATE SET "
                        + "\"total_orders\" = COALESCE(t.\"total_orders\", 0) + EXCLUDED.\"total_orders\", "
                        + "\"total_revenue\" = COALESCE(t.\"total_revenue\", 0) + EXCLUDED.\"total_revenue\", "
                        + "\"_avg_order_value_sum\" = COALESCE(t.\"_avg_order_value_sum\", 0) + EXCLUDED.\"_avg_order_value_sum\", "
                        + "\"_avg_order_value_count\" = COALESCE(t.\"_avg_order_value_count\", 0) + EXCLUDED.\"_avg_order_value_count\", "
                        + "\"avg_order_value\" = ROUND((COALESCE(t.\"_avg_order_value_sum\", 0) + EXCLUDED.\"_avg_order_value_sum\") / "
                        + "NULLIF(COALESCE(t.\"_avg_order_value_count\", 0) + EXCLUDED.\"_avg_order_value_count\", 0), 6), "
                        + "\"updated_at\" = now()",
                StandardSqlDialect.postgresql().upsertDelta(DEFAULT));
    }
}
