package io.orderflow.common.field;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import io.orderflow.common.config.Choices;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.transforms.field.FieldSyntaxVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A path to a field, in the syntax of KIP-821: with {@code field.syntax.version=V1} the path is one field
 * name; with {@code V2} dots step into nested structs and maps, and a name containing dots is wrapped in
 * backticks ({@code `a.b`.c}).
 *
 * <p>Unlike Kafka's {@code SingleFieldPath}, a lookup tells a missing field from a field that is present
 * and null, which predicates and error messages need.
 */
public final class FieldPath {

    /** Marks a field that is not there at all (as opposed to present with a null value). */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<missing>";
        }
    };

    private final String text;
    private final List<String> steps;

    private FieldPath(String text, List<String> steps) {
        this.text = text;
        this.steps = steps;
    }

    /**
     * Adds Kafka's {@code field.syntax.version} option (KIP-821: V1 top-level names, V2 dotted paths) to a plugin's
     * definitions with a group, order, width and drop-down, so it renders in the plugin's form in Control Center.
     */
    public static ConfigDef defineSyntaxVersion(ConfigDef definitions, String group, int orderInGroup) {
        Choices versions = Choices.of(FieldSyntaxVersion.V1.name(), FieldSyntaxVersion.V2.name());
        return definitions.define(FieldSyntaxVersion.FIELD_SYNTAX_VERSION_CONFIG, ConfigDef.Type.STRING,
                FieldSyntaxVersion.FIELD_SYNTAX_VERSION_DEFAULT_VALUE, versions, ConfigDef.Importance.HIGH,
                "Syntax of the field paths: V1, top-level field names only; V2, nested fields by dotted paths, with "
                        + "backticks around names that contain dots (KIP-821).",
                group, orderInGroup, ConfigDef.Width.SHORT, "Field syntax version", versions);
    }

    public static FieldPath parse(String text, FieldSyntaxVersion version) {
        if (text == null || text.isEmpty()) {
            throw new ConfigException("A field path must not be empty");
        }
        return new FieldPath(text, version == FieldSyntaxVersion.V1 ? List.of(text) : splitV2(text));
    }

    /** The value at this path, {@link #MISSING} when a step does not exist; a null container is missing. */
    public Object valueFrom(Object container) {
        Object current = container;
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

    /** The schema of the field at this path, or null when the schema has no such field. */
    public Schema schemaFrom(Schema schema) {
        Schema current = schema;
        for (String step : steps) {
            if (current == null || current.type() != Schema.Type.STRUCT) {
                return null;
            }
            Field field = current.field(step);
            if (field == null) {
                return null;
            }
            current = field.schema();
        }
        return current;
    }

    @Override
    public String toString() {
        return text;
    }

    private static List<String> splitV2(String text) {
        List<String> steps = new ArrayList<>();
        int i = 0;
        while (i <= text.length()) {
            if (i < text.length() && text.charAt(i) == '`') {
                StringBuilder name = new StringBuilder();
                int j = i + 1;
                boolean closed = false;
                while (j < text.length()) {
                    char c = text.charAt(j);
                    if (c == '\\' && j + 1 < text.length()) {
                        name.append(text.charAt(j + 1));
                        j += 2;
                    } else if (c == '`' && (j + 1 == text.length() || text.charAt(j + 1) == '.')) {
                        closed = true;
                        break;
                    } else {
                        name.append(c);
                        j++;
                    }
                }
                if (!closed) {
                    throw new ConfigException("Field path '" + text + "': backtick at position " + i + " is not closed");
                }
                steps.add(name.toString());
                i = j + 2;
            } else {
                int dot = text.indexOf('.', i);
                int end = dot < 0 ? text.length() : dot;
                if (end == i) {
                    throw new ConfigException("Field path '" + text + "': empty field name at position " + i);
                }
                steps.add(text.substring(i, end));
                i = end + 1;
            }
        }
        return List.copyOf(steps);
    }
}
