package io.orderflow.sink.aggregate.state;

import io.orderflow.common.field.FieldPath;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;

/**
 * An aggregated field and the Decimal its record schema declares there, looked up once per value schema (records of
 * one converter share a schema instance) rather than per record: the declared precision caps the integer digits a
 * value may have, as the lake sink's check does, so that the raw table and the summary refuse the same records.
 */
final class DecimalField {

    private static final int UNLIMITED = Integer.MAX_VALUE;

    private final FieldPath path;
    private Schema lastValueSchema;
    private int maxIntegerDigits = UNLIMITED;
    private String declaredType = "";

    DecimalField(FieldPath path) {
        this.path = path;
    }

    FieldPath path() {
        return path;
    }

    /** The most integer digits a value may have under the schema its record declares; unlimited when none is declared. */
    int maxIntegerDigits(Schema valueSchema) {
        if (valueSchema != lastValueSchema) {
            lastValueSchema = valueSchema;
            maxIntegerDigits = UNLIMITED;
            Schema field = valueSchema == null ? null : path.schemaFrom(valueSchema);
            if (field != null && field.parameters() != null) {
                String precision = field.parameters().get("connect.decimal.precision");
                String scale = field.parameters().get(Decimal.SCALE_FIELD);
                if (precision != null && scale != null) {
                    maxIntegerDigits = Integer.parseInt(precision) - Integer.parseInt(scale);
                    declaredType = "Decimal(" + precision + "," + scale + ")";
                }
            }
        }
        return maxIntegerDigits;
    }

    /** The declared type, for messages, after {@link #maxIntegerDigits} found one. */
    String declaredType() {
        return declaredType;
    }
}
