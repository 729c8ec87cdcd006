package io.orderflow.common.field;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.transforms.field.FieldSyntaxVersion;
import org.apache.kafka.connect.transforms.field.SingleFieldPath;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FieldPathTest {

    private static final Schema CUSTOMER = SchemaBuilder.struct().name("Customer").optional()
            .field("tier", Schema.OPTIONAL_STRING_SCHEMA).field("address.city", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema SCHEMA = SchemaBuilder.struct().name("Order")
            .field("status", Schema.STRING_SCHEMA)
            .field("quantity", Schema.OPTIONAL_INT32_SCHEMA)
            .field("customer", CUSTOMER)
            .build();

    private final Struct order = new Struct(SCHEMA).put("status", "PAID")
            .put("customer", new Struct(CUSTOMER).put("tier", "gold").put("address.city", "Lyon"));

    @Test
    void readsNestedFieldsLikeKafkasSingleFieldPath() {
        for (String path : new String[] {"status", "customer.tier", "customer.`address.city`", "quantity"}) {
            assertEquals(new SingleFieldPath(path, FieldSyntaxVersion.V2).valueFrom(order),
                    FieldPath.parse(path, FieldSyntaxVersion.V2).valueFrom(order), path);
        }
        assertEquals("Lyon", FieldPath.parse("customer.`address.city`", FieldSyntaxVersion.V2).valueFrom(order));
    }

    @Test
    void tellsMissingFromNull() {
        assertNull(FieldPath.parse("quantity", FieldSyntaxVersion.V2).valueFrom(order));
        assertSame(FieldPath.MISSING, FieldPath.parse("coupon", FieldSyntaxVersion.V2).valueFrom(order));
        assertSame(FieldPath.MISSING, FieldPath.parse("status.inner", FieldSyntaxVersion.V2).valueFrom(order));

        Map<String, Object> map = new HashMap<>();
        map.put("present", null);
        assertNull(FieldPath.parse("present", FieldSyntaxVersion.V2).valueFrom(map));
        assertSame(FieldPath.MISSING, FieldPath.parse("absent", FieldSyntaxVersion.V2).valueFrom(map));
    }

    @Test
    void v1TreatsDotsAsPartOfTheName() {
        Map<String, Object> map = Map.of("a.b", 1, "a", Map.of("b", 2));
        assertEquals(1, FieldPath.parse("a.b", FieldSyntaxVersion.V1).valueFrom(map));
        assertEquals(2, FieldPath.parse("a.b", FieldSyntaxVersion.V2).valueFrom(map));
    }

    @Test
    void schemaOfNestedField() {
        assertEquals(CUSTOMER.field("tier").schema(),
                FieldPath.parse("customer.tier", FieldSyntaxVersion.V2).schemaFrom(SCHEMA));
        assertNull(FieldPath.parse("customer.zip", FieldSyntaxVersion.V2).schemaFrom(SCHEMA));
    }

    @Test
    void malformedPathsAreConfigErrors() {
        assertThrows(ConfigException.class, () -> FieldPath.parse("a..b", FieldSyntaxVersion.V2));
        assertThrows(ConfigException.class, () -> FieldPath.parse("`a.b", FieldSyntaxVersion.V2));
        assertThrows(ConfigException.class, () -> FieldPath.parse("", FieldSyntaxVersion.V2));
    }
}
