package io.orderflow.sink.lake.format;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a record of one schema version may go into an open file of another (so that no file is cut per switch). */
class SchemaEvolutionTest {

    private static SchemaBuilder order() {
        return SchemaBuilder.struct().name("Order").field("id", Schema.STRING_SCHEMA)
                .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "18").build());
    }

    private static final Schema V1 = order().build();
    private static final Schema V2 = order().field("channel", Schema.OPTIONAL_STRING_SCHEMA).build();

    @Test
    void anOlderVersionProjectsIntoANewerOneThatOnlyAddsOptionalFields() {
        assertTrue(SchemaEvolution.canProject(V1, V1));
        assertTrue(SchemaEvolution.canProject(V1, V2));
        assertFalse(SchemaEvolution.canProject(V2, V1), "the newer record's field would be lost");
        Schema defaulted = order().field("currency", SchemaBuilder.string().defaultValue("EUR").build()).build();
        assertTrue(SchemaEvolution.canProject(V1, defaulted), "a defaulted field is filled in");
    }

    @Test
    void schemasThatDifferOnlyInTheirDescriptionsShareAFileEitherWay() {
        Schema described = SchemaBuilder.struct().name("Order").doc("One order")
                .field("id", SchemaBuilder.string().doc("Order id").build())
                .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "18").doc("Value").build()).build();
        assertTrue(SchemaEvolution.canProject(V1, described), "the source's schema.docs=false, then true");
        assertTrue(SchemaEvolution.canProject(described, V1), "the source's schema.docs=true, then false");
    }

    @Test
    void aRequiredNewFieldATypeChangeOrOtherDecimalParametersNeedANewFile() {
        assertFalse(SchemaEvolution.canProject(V1, order().field("channel", Schema.STRING_SCHEMA).build()));
        Schema amountAsDouble = SchemaBuilder.struct().name("Order").field("id", Schema.STRING_SCHEMA)
                .field("amount", Schema.FLOAT64_SCHEMA).build();
        assertFalse(SchemaEvolution.canProject(V1, amountAsDouble));
        Schema otherScale = SchemaBuilder.struct().name("Order").field("id", Schema.STRING_SCHEMA)
                .field("amount", Decimal.builder(3).parameter("connect.decimal.precision", "18").build()).build();
        assertFalse(SchemaEvolution.canProject(V1, otherScale), "Decimal scale and precision are part of the type");
        Schema renamed = SchemaBuilder.struct().name("Invoice").field("id", Schema.STRING_SCHEMA)
                .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "18").build()).build();
        assertFalse(SchemaEvolution.canProject(V1, renamed));
    }

    @Test
    void nestedStructsArraysAndMapsAreComparedAllTheWayDown() {
        Schema line = SchemaBuilder.struct().name("Line").field("sku", Schema.STRING_SCHEMA).build();
        Schema lineV2 = SchemaBuilder.struct().name("Line").field("sku", Schema.STRING_SCHEMA)
                .field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema withLines = SchemaBuilder.struct().name("Order").field("lines", SchemaBuilder.array(line).build()).build();
        Schema withLinesV2 = SchemaBuilder.struct().name("Order").field("lines", SchemaBuilder.array(lineV2).build()).build();
        assertTrue(SchemaEvolution.canProject(withLines, withLinesV2));
        assertFalse(SchemaEvolution.canProject(withLinesV2, withLines));
        Schema tags = SchemaBuilder.struct().name("Order").field("tags", SchemaBuilder.map(Schema.STRING_SCHEMA, line).build()).build();
        Schema tagsV2 = SchemaBuilder.struct().name("Order").field("tags", SchemaBuilder.map(Schema.STRING_SCHEMA, lineV2).build()).build();
        assertTrue(SchemaEvolution.canProject(tags, tagsV2));
        Schema optionalOrder = SchemaBuilder.struct().name("Order").optional().field("lines", SchemaBuilder.array(line).build()).build();
        assertFalse(SchemaEvolution.canProject(optionalOrder, withLines), "an optional value cannot go into a required one");
    }
}
