package io.orderflow.source.generator;

/**
 * What the synthetic orders look like: who orders, how much, in which currency, and how their lifecycles
 * unfold in event time.
 *
 * @param customers           customer population size
 * @param zipfExponent        skew of the customer distribution (0 = uniform)
 * @param amountMedian        median order value (log-normal)
 * @param amountSigma         log-normal shape; larger means a longer tail of big orders
 * @param amountMax           amounts are capped here
 * @param currencies          weighted currency choice
 * @param cancelProbability   share of orders cancelled right after creation
 * @param refundProbability   share of orders refunded after payment
 * @param stepDelayMeanMs     mean event-time delay between two lifecycle steps (exponential)
 * @param stepDelayMaxMs      cap on that delay
 * @param lateFraction        share of events emitted after events with a later event time
 * @param lateMaxMs           the most an event is emitted after its event time
 */
public record OrderProfile(int customers, double zipfExponent,
                           double amountMedian, double amountSigma, double amountMax,
                           CurrencyMix currencies,
                           double cancelProbability, double refundProbability,
                           long stepDelayMeanMs, long stepDelayMaxMs,
                           double lateFraction, long lateMaxMs) {

    /** Longest possible lifecycle: CREATED → PAID → SHIPPED → COMPLETED has three delays. */
    static final int MAX_STEP_DELAYS = 3;

    public OrderProfile {
        if (cancelProbability + refundProbability > 1.0) {
            throw new IllegalArgumentException("cancel probability + refund probability must not exceed 1");
        }
        if (stepDelayMeanMs > stepDelayMaxMs) {
            throw new IllegalArgumentException("mean step delay must not exceed the maximum step delay");
        }
    }

    /** The latest an event of an order can be emitted, relative to the order's creation time. */
    long maxEmitAfterCreationMs() {
        return MAX_STEP_DELAYS * stepDelayMaxMs + lateMaxMs;
    }
}
