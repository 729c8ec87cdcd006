package io.orderflow.smt.common;

import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.util.SchemaUtil;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Appends a fixed set of fields to struct schemas. The extended schema of each input schema is built once and
 * kept in an LRU cache, so a stream of records sharing one schema costs one map lookup per record.
 */
public final class StructExtender {

    private final LinkedHashMap<String, Schema> added;
    private final Cache<Schema, Schema> cache = new SynchronizedCache<>(new LRUCache<>(16));

    /** @param added the new fields, in order, with their schemas */
    public StructExtender(LinkedHashMap<String, Schema> added) {
        this.added = added;
    }

    /** @throws DataException naming the field when the input schema already has a field to be added */
    public Schema extend(Schema input) {
        Schema cached = cache.get(input);
        if (cached != null) {
            return cached;
        }
        SchemaBuilder builder = SchemaUtil.copySchemaBasics(input, SchemaBuilder.struct());
        for (Field field : input.fields()) {
            if (added.containsKey(field.name())) {
                throw new DataException("Field '" + field.name() + "' already exists in schema "
                        + (input.name() == null ? "(unnamed)" : input.name()) + "; choose another output field name");
            }
            builder.field(field.name(), field.schema());
        }
        added.forEach(builder::field);
        Schema extended = builder.build();
        cache.put(input, extended);
        return extended;
    }

    /** A copy of {@code input} under {@code extended}, with the added fields still unset. */
    public static Struct copy(Struct input, Schema extended) {
        Struct output = new Struct(extended);
        for (Field field : input.schema().fields()) {
            output.put(field.name(), input.get(field));
        }
        return output;
    }

    /**
     * A mutable copy of a schemaless value, to receive the added fields.
     *
     * @throws DataException naming the field when the value already has a field to be added
     */
    public Map<String, Object> copy(Map<String, Object> input) {
        for (String name : added.keySet()) {
            if (input.containsKey(name)) {
                throw new DataException("Field '" + name + "' already exists in the record; choose another output field name");
            }
        }
        return new HashMap<>(input);
    }
}
