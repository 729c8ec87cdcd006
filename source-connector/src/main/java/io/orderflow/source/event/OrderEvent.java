package io.orderflow.source.event;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One state change of one order, as it is written to Kafka.
 *
 * @param orderId     unique per order; every event of an order carries it and it is the record key
 * @param customerId  the ordering customer
 * @param amount      order value, scale 2
 * @param currency    ISO 4217 code
 * @param status      the state the order entered
 * @param eventTimeMs when the order entered that state (epoch millis); also the Kafka record timestamp
 */
public record OrderEvent(String orderId, String customerId, BigDecimal amount, String currency,
                         OrderStatus status, long eventTimeMs) {

    public OrderEvent {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(status, "status");
    }
}
