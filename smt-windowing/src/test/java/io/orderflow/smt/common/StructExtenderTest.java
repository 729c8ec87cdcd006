package io.orderflow.smt.common;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StructExtenderTest {

    private static final Schema ORDER = SchemaBuilder.struct().name("Order").version(2)
            .field("order_id", Schema.STRING_SCHEMA).field("amount", Schema.OPTIONAL_FLOAT64_SCHEMA).build();

    private static StructExtender extender() {
        LinkedHashMap<String, Schema> added = new LinkedHashMap<>();
        added.put("region", Schema.OPTIONAL_STRING_SCHEMA);
        added.put("pipeline", Schema.STRING_SCHEMA);
        return new StructExtender(added);
    }

    @Test
    void fieldsAreAppendedAfterTheInputsAndTheSchemaIsBuiltOncePerInputSchema() {
        StructExtender extender = extender();
        Struct out = extender.extend(new Struct(ORDER).put("order_id", "o1").put("amount", 2.5), "EU", "orderflow");
        assertEquals(java.util.List.of("order_id", "amount", "region", "pipeline"),
                out.schema().fields().stream().map(org.apache.kafka.connect.data.Field::name).toList());
        assertEquals("Order", out.schema().name(), "the record keeps its schema's name and version (Avro-friendly)");
        assertEquals(2, out.schema().version());
        assertEquals("o1", out.get("order_id"));
        assertEquals("EU", out.get("region"));
        assertSame(out.schema(), extender.extend(ORDER), "one extended schema per input schema");
    }

    @Test
    void aFieldThatAlreadyExistsIsADataErrorNamingIt() {
        Schema clash = SchemaBuilder.struct().name("Order").field("region", Schema.STRING_SCHEMA).build();
        DataException e = assertThrows(DataException.class, () -> extender().extend(clash));
        assertTrue(e.getMessage().contains("'region'"), e.getMessage());
        assertThrows(DataException.class, () -> extender().copy(Map.of("pipeline", "x")));
        assertEquals(Map.of("a", 1), extender().copy(Map.of("a", 1)));
    }
}
