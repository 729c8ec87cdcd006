package io.orderflow.source.generator;

import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.event.OrderStatus;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds the lifecycle of order number {@code g} as a pure function of the seed, {@code g} and the profile.
 *
 * <p>Each order draws from its own {@link SplittableRandom}, seeded from {@code (seed, g)}, in a fixed
 * sequence; all floating-point math uses {@link StrictMath}. That is what makes a stream reproducible on
 * any JVM and lets a restarted task rebuild any order without replaying the orders before it.
 */
final class OrderLifecycleFactory {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final BigDecimal MIN_AMOUNT = new BigDecimal("0.01");

    private final GeneratorSettings settings;
    private final OrderProfile profile;
    private final ZipfSampler customers;
    private final int customerIdDigits;
    private final BigDecimal maxAmount;

    OrderLifecycleFactory(GeneratorSettings settings) {
        this.settings = settings;
        this.profile = settings.profile();
        this.customers = new ZipfSampler(profile.customers(), profile.zipfExponent());
        this.customerIdDigits = Math.max(6, Integer.toString(profile.customers()).length());
        this.maxAmount = BigDecimal.valueOf(profile.amountMax()).setScale(2, RoundingMode.DOWN);
    }

    OrderLifecycle create(long orderNumber) {
        SplittableRandom random = new SplittableRandom(mix64(settings.seed() ^ mix64(orderNumber + GOLDEN_GAMMA)));

        String customerId = zeroPadded("cust-", Integer.toString(customers.rank(random.nextDouble())), customerIdDigits);
        String currency = profile.currencies().pick(random.nextDouble());
        BigDecimal amount = amount(random.nextDouble(), random.nextDouble());
        List<OrderStatus> path = path(random.nextDouble());
        long jitterMicros = random.nextLong(settings.orderIntervalMicros());
        long createdMs = createdMs(orderNumber, jitterMicros);

        String orderId = orderId(orderNumber);
        List<OrderEvent> events = new ArrayList<>(path.size());
        long[] emitMs = new long[path.size()];
        long eventTimeMs = createdMs;
        for (int step = 0; step < path.size(); step++) {
            // Draw the delay and lateness for every step, used or not, so the draw sequence is fixed.
            long delay = stepDelay(random.nextDouble());
            long lateness = random.nextDouble() < profile.lateFraction() && profile.lateMaxMs() > 0
                    ? 1 + random.nextLong(profile.lateMaxMs())
                    : 0;
            if (step > 0) {
                eventTimeMs += delay;
            }
            events.add(new OrderEvent(orderId, customerId, amount, currency, path.get(step), eventTimeMs));
            long emit = eventTimeMs + lateness;
            // A late predecessor holds its successors back: an order's events are emitted in lifecycle order.
            emitMs[step] = step == 0 ? emit : Math.max(emit, emitMs[step - 1]);
        }
        return new OrderLifecycle(orderNumber, createdMs, List.copyOf(events), emitMs);
    }

    /** Creation time of order {@code g}: {@code start + g * interval + jitter}, jitter below one interval. */
    long createdMs(long orderNumber, long jitterMicros) {
        return settings.startMs() + Math.floorDiv(
                Math.addExact(Math.multiplyExact(orderNumber, settings.orderIntervalMicros()), jitterMicros), 1000L);
    }

    /**
     * The smallest order number whose creation time can be at or after {@code timeMs}. Creation times grow
     * with the order number, so every order before it was created earlier.
     */
    long firstOrderCreatedAtOrAfter(long timeMs) {
        long micros = Math.multiplyExact(timeMs - settings.startMs(), 1000L);
        return Math.max(0, Math.floorDiv(micros, settings.orderIntervalMicros()) - 1);
    }

    /** Order ids are a bijection of the order number, salted with the seed: unique within a stream. */
    String orderId(long orderNumber) {
        return zeroPadded("ord-", Long.toHexString(mix64(orderNumber ^ mix64(settings.seed()))), 16);
    }

    /** {@code prefix}, then {@code digits} left-padded with zeros to {@code width}: what String.format made, without parsing a format per order. */
    static String zeroPadded(String prefix, String digits, int width) {
        StringBuilder id = new StringBuilder(prefix.length() + Math.max(width, digits.length())).append(prefix);
        for (int pad = digits.length(); pad < width; pad++) {
            id.append('0');
        }
        return id.append(digits).toString();
    }

    private BigDecimal amount(double u1, double u2) {
        // Box-Muller on (0, 1] to get a standard normal, then log-normal around the median.
        double normal = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
        double value = profile.amountMedian() * StrictMath.exp(profile.amountSigma() * normal);
        BigDecimal amount = BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN);
        if (amount.compareTo(MIN_AMOUNT) < 0) {
            return MIN_AMOUNT;
        }
        return amount.compareTo(maxAmount) > 0 ? maxAmount : amount;
    }

    private List<OrderStatus> path(double u) {
        if (u < profile.cancelProbability()) {
            return List.of(OrderStatus.CREATED, OrderStatus.CANCELLED);
        }
        if (u < profile.cancelProbability() + profile.refundProbability()) {
            return List.of(OrderStatus.CREATED, OrderStatus.PAID, OrderStatus.REFUNDED);
        }
        return List.of(OrderStatus.CREATED, OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED);
    }

    /** Exponential with the configured mean, at least 1 ms so event time strictly grows within an order. */
    private long stepDelay(double u) {
        double exponential = -profile.stepDelayMeanMs() * StrictMath.log(1.0 - u);
        return Math.min(profile.stepDelayMaxMs(), 1L + (long) exponential);
    }

    /** Stafford's variant 13 of the SplitMix64 finalizer: a bijection on 64-bit values. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
