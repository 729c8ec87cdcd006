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
import java.util.List;
import java.util.Map;

/**
 * Appends a fixed set of fields to struct schemas. The extended schema of each input schema is built once and
 * kept in an LRU cache, so a stream of records sharing one schema costs one map lookup per record.
 */
public final class StructExtender {

    private final LinkedHashMap<String, Schema> added;
    private final Cache<Schema, Schema> cache = new SynchronizedCache<>(new LRUCache<>(16));
    private volatile SchemaPair lastUsed;

    private record SchemaPair(Schema input, Schema extended) {
    }

    /** @param added the new fields, in order, with their schemas */
    public StructExtender(LinkedHashMap<String, Schema> added) {
        this.added = added;
    }

    /** @throws DataException naming the field when the input schema already has a field to be added */
    public Schema extend(Schema input) {
        // Records of one stream usually share one schema instance: skip hashing the whole schema for those.
        SchemaPair last = lastUsed;
        if (last != null && last.input == input) {
            return last.extended;
        }
        Schema cached = cache.get(input);
        if (cached != null) {
            lastUsed = new SchemaPair(input, cached);
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
        lastUsed = new SchemaPair(input, extended);
        return extended;
    }

    /**
     * {@code input} with the added fields set to {@code addedValues} (in the order they were given). Fields are
     * addressed by position, not name: the copied fields come first in the extended schema, in input order.
     */
    public Struct extend(Struct input, Object... addedValues) {
        Schema extended = extend(input.schema());
        List<Field> inputFields = input.schema().fields();
        List<Field> outputFields = extended.fields();
        Struct output = new Struct(extended);
        int copied = inputFields.size();
        for (int i = 0; i < copied; i++) {
            output.put(outputFields.get(i), input.get(inputFields.get(i)));
        }
        for (int i = 0; i < addedValues.length; i++) {
            output.put(outputFields.get(copied + i), addedValues[i]);
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
