package io.orderflow.source.generator;

import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * One task's stream of order events, in emit order. Orders enter the stream lazily, as simulated time
 * reaches their creation, so memory holds only the orders in flight.
 *
 * <p>The stream is resumable from a {@link StreamPosition}: {@link #resumeAfter} rebuilds exactly the
 * events that follow the position, by regenerating the few orders whose lifecycles can still reach past it.
 */
public final class OrderEventStream {

    private final GeneratorSettings settings;
    private final OrderLifecycleFactory factory;
    private final PriorityQueue<Step> inFlight = new PriorityQueue<>();
    /** The next order to enter the stream, or null when the task has no more orders. */
    private OrderLifecycle nextOrder;

    private OrderEventStream(GeneratorSettings settings) {
        this.settings = settings;
        this.factory = new OrderLifecycleFactory(settings);
    }

    /** The stream from its first event. */
    public static OrderEventStream fromStart(GeneratorSettings settings) {
        OrderEventStream stream = new OrderEventStream(settings);
        stream.nextOrder = stream.lifecycleOrNull(settings.firstOwnOrderAtOrAfter(0));
        return stream;
    }

    /** The stream after {@code last}, the position of the last event already emitted. */
    public static OrderEventStream resumeAfter(GeneratorSettings settings, StreamPosition last) {
        if (!settings.ownsOrder(last.orderNumber())) {
            throw new IllegalArgumentException("position " + last + " belongs to another task than task "
                    + settings.taskId() + " of " + settings.taskCount());
        }
        OrderEventStream stream = new OrderEventStream(settings);
        long horizon = last.emitMs() - settings.profile().maxEmitAfterCreationMs();
        long orderNumber = settings.firstOwnOrderAtOrAfter(stream.factory.firstOrderCreatedAtOrAfter(horizon));
        OrderLifecycle order = stream.lifecycleOrNull(orderNumber);
        while (order != null && order.createdMs() <= last.emitMs()) {
            for (int step = 0; step < order.steps(); step++) {
                if (order.position(step).compareTo(last) > 0) {
                    stream.inFlight.add(new Step(order, step));
                    break;
                }
            }
            order = stream.lifecycleOrNull(order.orderNumber() + settings.taskCount());
        }
        stream.nextOrder = order;
        return stream;
    }

    public boolean hasNext() {
        admitOrders();
        return !inFlight.isEmpty();
    }

    /** The next event, without consuming it. */
    public ScheduledEvent peek() {
        if (!hasNext()) {
            throw new NoSuchElementException("generator stream of task " + settings.taskId() + " is exhausted");
        }
        return inFlight.peek().event();
    }

    public ScheduledEvent next() {
        ScheduledEvent event = peek();
        Step step = inFlight.poll();
        if (step.index + 1 < step.order.steps()) {
            inFlight.add(new Step(step.order, step.index + 1));
        }
        return event;
    }

    public GeneratorSettings settings() {
        return settings;
    }

    /**
     * Every event is emitted at or after its order's creation time, so an order whose creation lies beyond
     * the earliest pending event cannot have an event that comes first; admit orders up to that point.
     */
    private void admitOrders() {
        while (nextOrder != null && (inFlight.isEmpty() || nextOrder.createdMs() <= inFlight.peek().emitMs())) {
            inFlight.add(new Step(nextOrder, 0));
            nextOrder = lifecycleOrNull(nextOrder.orderNumber() + settings.taskCount());
        }
    }

    private OrderLifecycle lifecycleOrNull(long orderNumber) {
        return settings.withinLimit(orderNumber) ? factory.create(orderNumber) : null;
    }

    private record Step(OrderLifecycle order, int index) implements Comparable<Step> {

        long emitMs() {
            return order.emitMs()[index];
        }

        ScheduledEvent event() {
            return new ScheduledEvent(order.events().get(index), order.position(index));
        }

        @Override
        public int compareTo(Step other) {
            return StreamPosition.compare(emitMs(), order.orderNumber(), index,
                    other.emitMs(), other.order.orderNumber(), other.index);
        }
    }
}
