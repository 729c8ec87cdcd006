package io.orderflow.sink.warehouse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** No name or text from a record schema or configuration can end a statement. */
class SqlQuotingTest {

    @Test
    void standardQuotingDoublesQuotesAndKeepsCase() {
        assertEquals("\"order_id\"", SqlQuoting.STANDARD.identifier("order_id"));
        assertEquals("\"a\"\"; DROP TABLE x; --\"", SqlQuoting.STANDARD.identifier("a\"; DROP TABLE x; --"));
        assertEquals("'it''s'", SqlQuoting.STANDARD.literal("it's"));
        assertEquals("'C:\\lake'", SqlQuoting.STANDARD.literal("C:\\lake"), "standard strings keep backslashes");
    }

    @Test
    void snowflakeUpperCasesNamesAndEscapesBackslashes() {
        assertEquals("\"ORDER_ID\"", SqlQuoting.SNOWFLAKE.identifier("order_id"));
        assertEquals("'it''s \\\\ x'", SqlQuoting.SNOWFLAKE.literal("it's \\ x"));
    }
}
