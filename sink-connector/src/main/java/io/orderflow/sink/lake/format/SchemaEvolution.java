package io.orderflow.sink.lake.format;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

import java.util.Objects;

/**
 * Decides whether a record can go into an open file whose schema differs from the record's. A file cannot
 * change schema, but a record of an older version can be projected up to a newer one when the newer one only
 * adds optional (or defaulted) fields. Interleaved versions then cost one new file per newer version, not
 * one file per switch.
 */
public final class SchemaEvolution {

    private SchemaEvolution() {
    }

    /**
     * Whether every value of {@code source} can be written as {@code target} without losing a field: same
     * name and type, every source field present in the target (recursively), every extra target field
     * optional or defaulted.
     */
    public static boolean canProject(Schema source, Schema target) {
        if (source == target || source.equals(target)) {
            return true;
        }
        if (source.type() != target.type() || !Objects.equals(source.name(), target.name())
                || !Objects.equals(source.parameters(), target.parameters())
                || (source.isOptional() && !target.isOptional())) {
            return false;
        }
        return switch (source.type()) {
            case STRUCT -> structProjects(source, target);
            case ARRAY -> canProject(source.valueSchema(), target.valueSchema());
            case MAP -> canProject(source.keySchema(), target.keySchema()) && canProject(source.valueSchema(), target.valueSchema());
            default -> true;
        };
    }

    private static boolean structProjects(Schema source, Schema target) {
        for (Field field : source.fields()) {
            Field counterpart = target.field(field.name());
            if (counterpart == null || !canProject(field.schema(), counterpart.schema())) {
                return false;
            }
        }
        for (Field field : target.fields()) {
            if (source.field(field.name()) == null && !field.schema().isOptional() && field.schema().defaultValue() == null) {
                return false;
            }
        }
        return true;
    }
}
