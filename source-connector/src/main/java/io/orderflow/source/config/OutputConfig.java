package io.orderflow.source.config;

import io.orderflow.common.config.Choices;
import io.orderflow.source.event.AmountType;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.util.Arrays;

/** Where the records go and how they are shaped. */
public final class OutputConfig {

    static final String GROUP = "Output";

    static final String TOPIC = "topic";
    static final String AMOUNT_TYPE = "amount.type";
    static final String BATCH_MAX_RECORDS = "batch.max.records";
    static final String SCHEMA_DOCS = "schema.docs";

    private final AbstractConfig config;

    OutputConfig(AbstractConfig config) {
        this.config = config;
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(TOPIC, Type.STRING, "orders.events", ConfigValidators.topicName(), Importance.HIGH,
                        "Topic the order events are written to. Records are keyed by order_id, so all events of an "
                                + "order land in one partition, in lifecycle order.",
                        GROUP, ++order, Width.MEDIUM, "Topic")
                .define(AMOUNT_TYPE, Type.STRING, AmountType.DECIMAL.configValue(),
                        Choices.of(names()), Importance.LOW,
                        "Type of the amount field: 'decimal' (Connect Decimal, scale 2, precision 18: exact money) "
                                + "or 'double' (FLOAT64, only for consumers built for the older double schema).",
                        GROUP, ++order, Width.SHORT, "Amount type")
                .define(BATCH_MAX_RECORDS, Type.INT, 1000, Range.between(1, 100_000), Importance.LOW,
                        "Most records a task returns from one poll.",
                        GROUP, ++order, Width.SHORT, "Max records per poll")
                .define(SCHEMA_DOCS, Type.BOOLEAN, true, Importance.LOW,
                        "Whether the value schema describes the event and each field (their doc). A schema registry "
                                + "stores the schema once, so the descriptions cost nothing per record there. JSON with "
                                + "schemas (JsonConverter, schemas.enable=true) writes the whole schema into every record: "
                                + "false makes an event 750 bytes instead of 1,042, and less work to convert at the "
                                + "source and at every sink. Sinks read records with and without them alike.",
                        GROUP, ++order, Width.SHORT, "Schema descriptions");
    }

    public String topic() {
        return config.getString(TOPIC);
    }

    public AmountType amountType() {
        return AmountType.fromConfig(config.getString(AMOUNT_TYPE));
    }

    public int batchMaxRecords() {
        return config.getInt(BATCH_MAX_RECORDS);
    }

    public boolean schemaDocs() {
        return config.getBoolean(SCHEMA_DOCS);
    }

    private static String[] names() {
        return Arrays.stream(AmountType.values()).map(AmountType::configValue).toArray(String[]::new);
    }
}
