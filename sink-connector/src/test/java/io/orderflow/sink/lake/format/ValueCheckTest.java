package io.orderflow.sink.lake.format;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueCheckTest {

    private static final Schema AMOUNT = Decimal.builder(2).parameter("connect.decimal.precision", "18").build();
    private static final Schema LINE = SchemaBuilder.struct().name("Line")
            .field("sku", Schema.STRING_SCHEMA).field("price", AMOUNT).build();
    private static final Schema ORDER = SchemaBuilder.struct().name("Order")
            .field("order_id", Schema.STRING_SCHEMA)
            .field("amount", AMOUNT)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("lines", SchemaBuilder.array(LINE).optional().build())
            .field("tags", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).optional().build())
            .build();

    private static Struct order(String amount) {
        return new Struct(ORDER).put("order_id", "o1").put("amount", new BigDecimal(amount));
    }

    private static String failure(ValueCheck check, Struct value) {
        return assertThrows(DataException.class, () -> check.check(value)).getMessage();
    }

    @Test
    void decimalsWithinPrecisionAndScalePass() {
        ValueCheck check = ValueCheck.of(ORDER, ValueCheck.Limits.PARQUET);
        for (String amount : List.of("0", "0.00", "-0.01", "1.000", "9999999999999999.99", "-9999999999999999.99", "12")) {
            assertDoesNotThrow(() -> check.check(order(amount)), amount);
        }
    }

    @Test
    void moreDecimalPlacesThanTheScaleAreNamed() {
        String message = failure(ValueCheck.of(ORDER, ValueCheck.Limits.PARQUET), order("1.005"));
        assertTrue(message.contains("'amount'") && message.contains("1.005") && message.contains("Decimal(18,2)"), message);
    }

    @Test
    void moreDigitsThanThePrecisionAreNamed() {
        String message = failure(ValueCheck.of(ORDER, ValueCheck.Limits.PARQUET), order("12345678901234567890123.45"));
        assertTrue(message.contains("'amount'") && message.contains("25 digits") && message.contains("precision"), message);
        assertTrue(failure(ValueCheck.of(ORDER, ValueCheck.Limits.PARQUET), order("10000000000000000.00")).contains("19 digits"));
    }

    @Test
    void aDecimalWithoutDeclaredPrecisionCannotBeRead() {
        Schema schema = SchemaBuilder.struct().field("amount", Decimal.schema(2)).build();
        String message = failure(ValueCheck.of(schema, ValueCheck.Limits.PARQUET),
                new Struct(schema).put("amount", new BigDecimal("1.00")));
        assertTrue(message.contains("connect.decimal.precision") && message.contains("38"), message);
    }

    @Test
    void nestedValuesAreCheckedWithTheirPath() {
        Struct line = new Struct(LINE).put("sku", "s").put("price", new BigDecimal("0.001"));
        String message = failure(ValueCheck.of(ORDER, ValueCheck.Limits.PARQUET), order("1.00").put("lines", List.of(line)));
        assertTrue(message.contains("'lines[].price'"), message);
        Schema requiredElements = SchemaBuilder.struct().field("ids", SchemaBuilder.array(Schema.INT64_SCHEMA).build()).build();
        Struct withNull = new Struct(requiredElements).put("ids", Arrays.asList(1L, 2L));
        withNull.getArray("ids").set(1, null);   // past Struct.put's own validation, as a transform could do
        assertTrue(failure(ValueCheck.of(requiredElements, ValueCheck.Limits.PARQUET), withNull).contains("'ids[]'"));
    }

    @Test
    void requiredFieldsMustBeSet() {
        Struct missing = new Struct(ORDER).put("amount", new BigDecimal("1.00"));   // order_id never set
        assertTrue(failure(ValueCheck.of(ORDER, ValueCheck.Limits.PARQUET), missing).contains("'order_id' is required"));
        Schema defaulted = SchemaBuilder.struct().field("currency", SchemaBuilder.string().defaultValue("EUR").build()).build();
        assertDoesNotThrow(() -> ValueCheck.of(defaulted, ValueCheck.Limits.PARQUET).check(new Struct(defaulted)));
    }

    @Test
    void nulCharactersAreRefusedOnlyWhereTheWarehouseCannotHoldThem() {
        Struct nul = order("1.00").put("note", "a\u0000b").put("tags", Map.of("k", "v\u0000"));
        assertDoesNotThrow(() -> ValueCheck.of(ORDER, ValueCheck.Limits.PARQUET).check(nul));
        assertTrue(failure(ValueCheck.of(ORDER, ValueCheck.Limits.POSTGRESQL_TEXT), nul).contains("'note'"));
        Struct inMap = order("1.00").put("tags", Map.of("k", "v\u0000"));
        assertTrue(failure(ValueCheck.of(ORDER, ValueCheck.Limits.POSTGRESQL_TEXT), inMap).contains("'tags{value}'"));
        Struct emoji = order("1.00").put("note", "\uD83D\uDE80 ok");
        assertDoesNotThrow(() -> ValueCheck.of(ORDER, ValueCheck.Limits.POSTGRESQL_TEXT).check(emoji));
    }

    @Test
    void theCacheCompilesPerSchemaAndChecksEachValue() {
        ValueCheck.Cache cache = new ValueCheck.Cache(ValueCheck.Limits.PARQUET);
        cache.check(order("1.00"));
        assertThrows(DataException.class, () -> cache.check(order("1.001")));
        Schema other = SchemaBuilder.struct().field("amount", AMOUNT).build();
        assertThrows(DataException.class, () -> cache.check(new Struct(other).put("amount", new BigDecimal("0.001"))));
        cache.check(order("2.50"));
    }

    @Test
    void timesOutsideTheYearsWarehousesHoldAreRefused() {
        Schema schema = SchemaBuilder.struct().field("event_time", org.apache.kafka.connect.data.Timestamp.SCHEMA).build();
        ValueCheck check = ValueCheck.of(schema, ValueCheck.Limits.PARQUET);
        for (long ok : new long[] {-62_135_596_800_000L, 0L, 253_402_300_799_999L}) {
            assertDoesNotThrow(() -> check.check(new Struct(schema).put("event_time", new java.util.Date(ok))));
        }
        for (long bad : new long[] {-62_135_596_800_001L, 253_402_300_800_000L, Long.MAX_VALUE}) {
            String message = failure(check, new Struct(schema).put("event_time", new java.util.Date(bad)));
            assertTrue(message.contains("'event_time'") && message.contains("9999"), message);
        }
    }
}
