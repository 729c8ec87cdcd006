package io.orderflow.smt.predicate;

import io.orderflow.smt.Orders;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldMatchesTest {

    private static FieldMatches<SourceRecord> predicate(String expression, String... more) {
        Map<String, String> props = new HashMap<>();
        props.put("expression", expression);
        props.put("field.syntax.version", "V2");
        for (int i = 0; i < more.length; i += 2) {
            props.put(more[i], more[i + 1]);
        }
        FieldMatches<SourceRecord> predicate = new FieldMatches<>();
        predicate.configure(props);
        return predicate;
    }

    private static SourceRecord order(String status, String amount) {
        return Orders.record(Orders.order(status, amount, 1_000L));
    }

    @Test
    void statusEqualsCompleted() {
        FieldMatches<SourceRecord> completed = predicate("status == 'COMPLETED'");
        assertTrue(completed.test(order("COMPLETED", "10.00")));
        assertFalse(completed.test(order("PAID", "10.00")));
        assertTrue(predicate("status != 'COMPLETED'").test(order("PAID", "10.00")));
    }

    @Test
    void numericComparisonsOnDecimalsAreExact() {
        assertTrue(predicate("amount > 100").test(order("PAID", "100.01")));
        assertFalse(predicate("amount > 100").test(order("PAID", "100.00")));
        assertTrue(predicate("amount >= 100.0").test(order("PAID", "100.00")));
        assertTrue(predicate("amount == 100").test(order("PAID", "100.00")), "100.00 equals 100 numerically");
        assertTrue(predicate("amount < 0.02").test(order("PAID", "0.01")));
        assertTrue(predicate("amount <= -1.5e0 || amount > 1e3").test(order("PAID", "1000.01")));
    }

    @Test
    void numericComparisonsOnOtherNumberTypesAndNumericStrings() {
        Map<String, Object> value = Orders.map("PAID", 12);
        value.put("count", 7L);
        value.put("ratio", 0.25d);
        value.put("weight", 1.5f);
        value.put("text_amount", " 42.10 ");
        SourceRecord record = Orders.schemaless(value);
        assertTrue(predicate("amount == 12 && count > 6 && ratio < 0.3 && weight >= 1.5").test(record));
        assertTrue(predicate("text_amount > 42.09").test(record));
    }

    @Test
    void listsRegexAndBooleanLogic() {
        SourceRecord paid = order("PAID", "50.00");
        assertTrue(predicate("status in ('PAID', 'SHIPPED')").test(paid));
        assertFalse(predicate("status not in ('PAID', 'SHIPPED')").test(paid));
        assertTrue(predicate("customer_id =~ 'cust-0+1'").test(paid));
        assertFalse(predicate("customer_id =~ 'cust'").test(paid), "regex must match the whole value");
        assertTrue(predicate("!(status == 'COMPLETED') && (amount > 100 || currency == 'EUR')").test(paid));
        assertTrue(predicate("not status == 'COMPLETED' and currency == 'EUR'").test(paid));
        assertTrue(predicate("status == 'X' || status == 'PAID' && amount > 10").test(paid), "&& binds tighter than ||");
    }

    @Test
    void nestedFieldsInStructsAndMaps() {
        Struct value = Orders.order("PAID", "5.00", 0L)
                .put("customer", new Struct(Orders.CUSTOMER).put("tier", "gold").put("address.city", "Lyon"));
        SourceRecord record = Orders.record(value);
        assertTrue(predicate("customer.tier == 'gold' && customer.`address.city` == 'Lyon'").test(record));

        Map<String, Object> map = Orders.map("PAID", 5);
        map.put("customer", Map.of("tier", "silver"));
        assertTrue(predicate("customer.tier == 'silver'").test(Orders.schemaless(map)));
    }

    @Test
    void keyFields() {
        SourceRecord record = order("PAID", "5.00");
        assertTrue(predicate("$key == 'ord-1'").test(record));
        Schema keySchema = SchemaBuilder.struct().field("region", Schema.STRING_SCHEMA).build();
        SourceRecord structKey = record.newRecord("orders", 0, keySchema, new Struct(keySchema).put("region", "EU"),
                record.valueSchema(), record.value(), record.timestamp());
        assertTrue(predicate("$key.region == 'EU' && $value.status == 'PAID'").test(structKey));
    }

    @Test
    void nullsAndMissingFields() {
        SourceRecord record = order("PAID", "5.00");
        assertTrue(predicate("quantity is null").test(record));
        assertFalse(predicate("quantity is not null").test(record));
        assertFalse(predicate("quantity > 1").test(record), "comparison on null is false");
        assertFalse(predicate("quantity is missing").test(record), "present but null is not missing");
        assertTrue(predicate("coupon is missing").test(record));
        assertFalse(predicate("coupon == 'X'").test(record));

        DataException e = assertThrows(DataException.class,
                () -> predicate("coupon == 'X'", "missing.field.behavior", "fail").test(record));
        assertTrue(e.getMessage().contains("'coupon'"), e.getMessage());
    }

    @Test
    void tombstonesMatchOnlyWhenConfigured() {
        assertFalse(predicate("status == 'COMPLETED'").test(Orders.tombstone()));
        assertTrue(predicate("status == 'COMPLETED'", "tombstone.matches", "true").test(Orders.tombstone()));
    }

    @Test
    void badValuesRaiseDataExceptionNamingTheField() {
        Map<String, Object> value = Orders.map("PAID", "twelve");
        DataException notNumeric = assertThrows(DataException.class, () -> predicate("amount > 1").test(Orders.schemaless(value)));
        assertTrue(notNumeric.getMessage().contains("'amount'") && notNumeric.getMessage().contains("twelve"));
        value.put("amount", List.of(1));
        assertThrows(DataException.class, () -> predicate("amount > 1").test(Orders.schemaless(value)));
    }

    @Test
    void syntaxErrorsNameThePosition() {
        assertPositionError("status = 'COMPLETED'", 7);
        assertPositionError("status == COMPLETED", 10);
        assertPositionError("status == 'COMPLETED' &&", 24);
        assertPositionError("(status == 'A'", 14);
        assertPositionError("amount > true", 9);
        assertPositionError("status in 'A'", 10);
        assertPositionError("status == null", 10);
        assertPositionError("status =~ '['", 10);
        assertPositionError("status == 'open", 10);
        assertPositionError("== 'A'", 0);
    }

    @Test
    void validateReportsTheExpressionError() {
        List<ConfigValue> values = FieldMatches.CONFIG_DEF.validate(Map.of("expression", "status === 'A'"));
        ConfigValue expression = values.stream().filter(v -> v.name().equals("expression")).findFirst().orElseThrow();
        assertEquals(1, expression.errorMessages().size());
        assertTrue(expression.errorMessages().get(0).contains("position"), expression.errorMessages().toString());
    }

    private static void assertPositionError(String expression, int position) {
        ConfigException e = assertThrows(ConfigException.class, () -> predicate(expression));
        assertTrue(e.getMessage().contains("position " + position + ":"), expression + " -> " + e.getMessage());
    }

    @Test
    void validationParsesFieldPathsInTheConfiguredSyntaxAsConfigureDoes() {
        java.util.function.Function<Map<String, String>, java.util.List<String>> errors = props ->
                FieldMatches.CONFIG_DEF.validate(props).stream().filter(v -> v.name().equals("expression"))
                        .flatMap(v -> v.errorMessages().stream()).toList();
        Map<String, String> v1 = Map.of("expression", "a..b == 1");
        assertEquals(java.util.List.of(), errors.apply(v1), "in V1 'a..b' is one field name");
        FieldMatches<SourceRecord> accepted = new FieldMatches<>();
        accepted.configure(v1);
        Map<String, String> v2 = Map.of("expression", "a..b == 1", "field.syntax.version", "V2");
        assertEquals(1, errors.apply(v2).size(), "in V2 'a..b' has an empty step: " + errors.apply(v2));
        assertThrows(org.apache.kafka.common.config.ConfigException.class, () -> new FieldMatches<SourceRecord>().configure(v2));
        assertEquals(1, errors.apply(Map.of("expression", "status ==")).size(), "a syntax error in any field syntax");
    }
}
