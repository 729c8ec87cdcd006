package io.orderflow.source.generator;

import io.orderflow.source.event.OrderEvent;

import java.util.List;

/**
 * The complete, precomputed life of one order: its events in lifecycle order and the simulated time each
 * is emitted. Emit times never decrease along the lifecycle, so an order's events reach Kafka in lifecycle
 * order even when some are late.
 */
record OrderLifecycle(long orderNumber, long createdMs, List<OrderEvent> events, long[] emitMs) {

    StreamPosition position(int step) {
        return new StreamPosition(emitMs[step], orderNumber, step);
    }

    int steps() {
        return events.size();
    }
}
