package io.orderflow.bench;

import io.orderflow.smt.enrich.Enrich;
import io.orderflow.smt.predicate.FieldMatches;
import io.orderflow.smt.window.TumblingWindow;
import io.orderflow.source.event.AmountType;
import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.source.event.OrderStatus;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Filter;
import org.apache.kafka.connect.transforms.InsertField;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.apache.kafka.connect.transforms.predicates.TopicNameMatches;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per record for each orderflow transform on OrderEvent records, beside Kafka's built-in
 * {@code InsertField$Value} and {@code Filter} + {@code TopicNameMatches} on the same records in the same run.
 *
 * <p>Records cycle through 1,024 distinct orders whose event times advance by 250 ms, so lookups, date
 * formatting and window assignment see changing inputs rather than one cached record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TransformBenchmark {

    private static final int RECORDS = 1_024;

    private SourceRecord[] records;
    private int next;

    private Transformation<SourceRecord> insertField;
    private Transformation<SourceRecord> filter;
    private Predicate<SourceRecord> topicNameMatches;
    private Predicate<SourceRecord> fieldMatches;
    private Transformation<SourceRecord> enrich;
    private Transformation<SourceRecord> window;

    @Setup
    public void setup() {
        records = new SourceRecord[RECORDS];
        Schema schema = OrderEventSchema.valueSchema(AmountType.DECIMAL);
        long start = 1_767_225_600_000L;
        for (int i = 0; i < RECORDS; i++) {
            OrderEvent event = new OrderEvent("ord-" + i, String.format("cust-%06d", 1 + i % 500),
                    new BigDecimal(10 + i % 300 + ".25"), "EUR", OrderStatus.COMPLETED, start + i * 250L);
            records[i] = new SourceRecord(Map.of(), Map.of(), "orders.events", 0, Schema.STRING_SCHEMA, event.orderId(),
                    schema, OrderEventSchema.toStruct(event, AmountType.DECIMAL), event.eventTimeMs());
        }

        insertField = new InsertField.Value<>();
        insertField.configure(Map.of("static.field", "pipeline", "static.value", "orderflow"));
        filter = new Filter<>();
        filter.configure(Map.of());
        topicNameMatches = new TopicNameMatches<>();
        topicNameMatches.configure(Map.of("pattern", "orders\\..*"));

        fieldMatches = new FieldMatches<>();
        fieldMatches.configure(Map.of("expression", "status == 'COMPLETED'"));
        StringBuilder lookup = new StringBuilder("{");
        for (int c = 1; c <= 500; c++) {
            lookup.append(c == 1 ? "" : ",").append(String.format("\"cust-%06d\":{\"customer_tier\":\"%s\",\"region\":\"%s\"}",
                    c, c % 7 == 0 ? "gold" : "silver", c % 2 == 0 ? "EU" : "US"));
        }
        enrich = new Enrich.Value<>();
        enrich.configure(Map.of("lookup.key.field", "customer_id", "lookup.inline", lookup.append('}').toString(),
                "event.time.field", "event_time", "time.fields", "event_date:yyyy-MM-dd,event_hour:HH",
                "static.fields", "pipeline=orderflow"));
        window = new TumblingWindow<>();
        window.configure(Map.of("event.time.field", "event_time", "window.size", "1m", "late.policy", "flag-field"));
    }

    private SourceRecord nextRecord() {
        SourceRecord record = records[next];
        next = (next + 1) & (RECORDS - 1);
        return record;
    }

    /** As the worker runs a transform with a predicate: apply it when the predicate (negated) says so. */
    private static SourceRecord filtered(Transformation<SourceRecord> filter, Predicate<SourceRecord> predicate,
                                         boolean negate, SourceRecord record) {
        return predicate.test(record) != negate ? filter.apply(record) : record;
    }

    @Benchmark
    public SourceRecord baselineInsertFieldValue() {
        return insertField.apply(nextRecord());
    }

    @Benchmark
    public SourceRecord baselineFilterTopicNameMatches() {
        return filtered(filter, topicNameMatches, true, nextRecord());
    }

    @Benchmark
    public SourceRecord filterFieldMatches() {
        return filtered(filter, fieldMatches, true, nextRecord());
    }

    @Benchmark
    public SourceRecord enrichValue() {
        return enrich.apply(nextRecord());
    }

    @Benchmark
    public SourceRecord tumblingWindow() {
        return window.apply(nextRecord());
    }

    @Benchmark
    public SourceRecord chainFilterEnrichWindow() {
        SourceRecord record = filtered(filter, fieldMatches, true, nextRecord());
        return record == null ? null : window.apply(enrich.apply(record));
    }
}
