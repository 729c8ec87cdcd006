package io.orderflow.source.generator;

import java.util.Comparator;

/**
 * A place in a generator stream: events are emitted in ascending {@code (emitMs, orderNumber, step)} order,
 * so the position of the last emitted event identifies exactly what comes next.
 *
 * @param emitMs      simulated time at which the event is emitted (its event time, or later for a late event)
 * @param orderNumber the order's number over the whole connector
 * @param step        index of the event in its order's lifecycle, 0 = CREATED
 */
public record StreamPosition(long emitMs, long orderNumber, int step) implements Comparable<StreamPosition> {

    private static final Comparator<StreamPosition> ORDER = Comparator
            .comparingLong(StreamPosition::emitMs)
            .thenComparingLong(StreamPosition::orderNumber)
            .thenComparingInt(StreamPosition::step);

    @Override
    public int compareTo(StreamPosition other) {
        return ORDER.compare(this, other);
    }
}
