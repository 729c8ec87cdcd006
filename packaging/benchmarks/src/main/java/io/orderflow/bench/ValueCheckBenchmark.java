package io.orderflow.bench;

import io.orderflow.sink.lake.format.ValueCheck;
import io.orderflow.source.event.AmountType;
import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.source.event.OrderStatus;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
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
import java.util.concurrent.TimeUnit;

/**
 * What the lake sink's per-record value check costs on OrderEvent structs: orderflow's {@link ValueCheck} (precision,
 * scale, required fields, time range, and the PostgreSQL NUL scan), beside Connect's own {@link Struct#validate()} on
 * the same records in the same run — the check every Connect user already pays for when a converter builds a Struct.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ValueCheckBenchmark {

    private static final int RECORDS = 1_024;

    private Struct[] values;
    private int next;
    private ValueCheck.Cache parquet;
    private ValueCheck.Cache postgres;

    @Setup
    public void setup() {
        values = new Struct[RECORDS];
        Schema schema = OrderEventSchema.valueSchema(AmountType.DECIMAL);
        for (int i = 0; i < RECORDS; i++) {
            OrderEvent event = new OrderEvent("ord-" + i, String.format("cust-%06d", 1 + i % 500),
                    new BigDecimal(10 + i % 300 + ".25"), "EUR", OrderStatus.COMPLETED, 1_767_225_600_000L + i * 250L);
            values[i] = OrderEventSchema.toStruct(event, AmountType.DECIMAL);
        }
        parquet = new ValueCheck.Cache(ValueCheck.Limits.PARQUET);
        postgres = new ValueCheck.Cache(ValueCheck.Limits.POSTGRESQL_TEXT);
    }

    private Struct nextValue() {
        Struct value = values[next];
        next = (next + 1) & (RECORDS - 1);
        return value;
    }

    @Benchmark
    public Struct connectStructValidate() {
        Struct value = nextValue();
        value.validate();
        return value;
    }

    @Benchmark
    public Struct valueCheckParquet() {
        Struct value = nextValue();
        parquet.check(value);
        return value;
    }

    @Benchmark
    public Struct valueCheckPostgresText() {
        Struct value = nextValue();
        postgres.check(value);
        return value;
    }
}
