package io.orderflow.sink.aggregate.state;

import io.orderflow.sink.aggregate.config.AggregateSpec;

import java.math.BigDecimal;
import java.util.List;

/**
 * The delta one task adds to one summary row between two flushes. Per aggregate: a count (count, and avg's
 * count) and an exact decimal (sum, min, max, and avg's sum); the average itself is computed in the warehouse
 * from the stored sum and count, so deltas from any number of tasks combine exactly.
 */
public final class Accumulator {

    private final List<AggregateSpec> specs;
    private final long[] counts;
    private final BigDecimal[] values;

    Accumulator(List<AggregateSpec> specs) {
        this.specs = specs;
        this.counts = new long[specs.size()];
        this.values = new BigDecimal[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            AggregateSpec.Function function = specs.get(i).function();
            if (function == AggregateSpec.Function.SUM || function == AggregateSpec.Function.AVG) {
                values[i] = BigDecimal.ZERO;
            }
        }
    }

    /** @param fieldValues per aggregate, the record's value of its field (null when absent or for a bare count) */
    void add(BigDecimal[] fieldValues) {
        for (int i = 0; i < specs.size(); i++) {
            AggregateSpec spec = specs.get(i);
            BigDecimal value = fieldValues[i];
            switch (spec.function()) {
                case COUNT -> {
                    if (spec.field() == null || value != null) {
                        counts[i]++;
                    }
                }
                case SUM -> values[i] = value == null ? values[i] : values[i].add(value);
                case MIN -> values[i] = value == null ? values[i] : values[i] == null || value.compareTo(values[i]) < 0 ? value : values[i];
                case MAX -> values[i] = value == null ? values[i] : values[i] == null || value.compareTo(values[i]) > 0 ? value : values[i];
                case AVG -> {
                    if (value != null) {
                        values[i] = values[i].add(value);
                        counts[i]++;
                    }
                }
            }
        }
    }

    /** The count of a count aggregate, or the count behind an average. */
    public long count(int aggregate) {
        return counts[aggregate];
    }

    /** The sum, min or max, or the sum behind an average; null for a min or max that saw no value. */
    public BigDecimal value(int aggregate) {
        return values[aggregate];
    }
}
