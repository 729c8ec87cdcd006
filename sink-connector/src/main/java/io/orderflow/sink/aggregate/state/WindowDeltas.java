package io.orderflow.sink.aggregate.state;

import io.orderflow.sink.aggregate.config.AggregateSpec;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a task has aggregated since its last flush, per summary row, in key order. */
public final class WindowDeltas {

    private final List<AggregateSpec> specs;
    private final TreeMap<WindowKey, Accumulator> rows = new TreeMap<>();

    public WindowDeltas(List<AggregateSpec> specs) {
        this.specs = specs;
    }

    public void add(WindowKey key, BigDecimal[] fieldValues) {
        rows.computeIfAbsent(key, k -> new Accumulator(specs)).add(fieldValues);
    }

    public Map<WindowKey, Accumulator> rows() {
        return rows;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void clear() {
        rows.clear();
    }
}
