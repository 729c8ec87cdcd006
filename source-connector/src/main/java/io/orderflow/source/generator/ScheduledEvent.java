package io.orderflow.source.generator;

import io.orderflow.source.event.OrderEvent;

/** An event together with its place in the stream. */
public record ScheduledEvent(OrderEvent event, StreamPosition position) {
}
