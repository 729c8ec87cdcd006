package io.orderflow.source.generator;

/**
 * A place in a generator stream: events are emitted in ascending {@code (emitMs, orderNumber, step)} order,
 * so the position of the last emitted event identifies exactly what comes next.
 *
 * @param emitMs      simulated time at which the event is emitted (its event time, or later for a late event)
 * @param orderNumber the order's number over the whole connector
 * @param step        index of the event in its order's lifecycle, 0 = CREATED
 */
public record StreamPosition(long emitMs, long orderNumber, int step) implements Comparable<StreamPosition> {

    @Override
    public int compareTo(StreamPosition other) {
        return compare(emitMs, orderNumber, step, other.emitMs, other.orderNumber, other.step);
    }

    /**
     * The stream's order on positions given as their parts, so the generator's merge of pending events can
     * compare them without creating a position for each comparison (it compares several per event).
     */
    static int compare(long emitMs, long orderNumber, int step, long otherEmitMs, long otherOrderNumber, int otherStep) {
        int byTime = Long.compare(emitMs, otherEmitMs);
        if (byTime != 0) {
            return byTime;
        }
        int byOrder = Long.compare(orderNumber, otherOrderNumber);
        return byOrder != 0 ? byOrder : Integer.compare(step, otherStep);
    }
}
