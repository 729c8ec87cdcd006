package io.orderflow.smt.predicate;

import io.orderflow.common.field.FieldPath;
import org.apache.kafka.connect.transforms.field.FieldSyntaxVersion;

/**
 * What a condition reads: a field of the record value (the default), a field of the key ({@code $key.name}),
 * or the whole key or value ({@code $key}, {@code $value}).
 */
record Operand(boolean key, FieldPath path, String text) {

    private static final String KEY = "$key";
    private static final String VALUE = "$value";

    static Operand parse(String text, FieldSyntaxVersion version) {
        if (text.equals(KEY)) {
            return new Operand(true, null, text);
        }
        if (text.equals(VALUE)) {
            return new Operand(false, null, text);
        }
        if (text.startsWith(KEY + ".")) {
            return new Operand(true, FieldPath.parse(text.substring(KEY.length() + 1), version), text);
        }
        if (text.startsWith(VALUE + ".")) {
            return new Operand(false, FieldPath.parse(text.substring(VALUE.length() + 1), version), text);
        }
        return new Operand(false, FieldPath.parse(text, version), text);
    }

    /** The operand's value in a record, or {@link FieldPath#MISSING}. */
    Object read(Object recordKey, Object recordValue) {
        Object container = key ? recordKey : recordValue;
        if (path == null) {
            return container;
        }
        return container == null ? FieldPath.MISSING : path.valueFrom(container);
    }
}
