package io.orderflow.sink.lake.partition;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

import java.util.Map;

/** A dotted path into a record value (structs or maps, nested), split once instead of per record. */
public final class FieldPath {

    /** What {@link #read} returns when a step of the path does not exist, as opposed to a null value. */
    public static final Object MISSING = new Object();

    private final String path;
    private final String[] steps;

    public FieldPath(String dottedPath) {
        this.path = dottedPath;
        this.steps = dottedPath.split("\\.");
    }

    public Object read(Object value) {
        Object current = value;
        for (String step : steps) {
            if (current instanceof Struct struct) {
                Field field = struct.schema().field(step);
                if (field == null) {
                    return MISSING;
                }
                current = struct.get(field);
            } else if (current instanceof Map<?, ?> map) {
                if (!map.containsKey(step)) {
                    return MISSING;
                }
                current = map.get(step);
            } else {
                return MISSING;
            }
        }
        return current;
    }

    @Override
    public String toString() {
        return path;
    }
}
