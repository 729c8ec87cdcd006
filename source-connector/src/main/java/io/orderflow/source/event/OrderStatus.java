package io.orderflow.source.event;

/** The states an order passes through. Every lifecycle starts with {@link #CREATED}. */
public enum OrderStatus {
    CREATED,
    PAID,
    SHIPPED,
    COMPLETED,
    CANCELLED,
    REFUNDED
}
