package io.orderflow.source.config;

import io.orderflow.common.config.FieldError;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The generator's identity, volume, pace and simulated clock. */
public final class GeneratorConfig {

    static final String GROUP = "Generator";

    static final String SEED = "seed";
    static final String MAX_ORDERS = "max.orders";
    static final String ORDERS_PER_SECOND = "orders.per.second";
    static final String POLL_LINGER_MS = "poll.linger.ms";
    static final String EVENT_TIME_START = "event.time.start";
    static final String ORDER_INTERVAL_MS = "event.time.order.interval.ms";
    static final String LATE_FRACTION = "event.time.late.fraction";
    static final String LATE_MAX_MS = "event.time.late.max.ms";

    /** Simulated gap between orders when neither an interval nor a rate is set. */
    static final long UNPACED_ORDER_INTERVAL_MICROS = 10_000;

    private final AbstractConfig config;

    GeneratorConfig(AbstractConfig config) {
        this.config = config;
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(SEED, Type.LONG, 42L, Importance.HIGH,
                        "Seed of the synthetic stream. The same seed and options always produce the same records "
                                + "(order ids, amounts, timestamps), whatever the poll timing. A new seed starts a new "
                                + "stream with its own source offsets.",
                        GROUP, ++order, Width.MEDIUM, "Seed")
                .define(MAX_ORDERS, Type.LONG, 0L, Range.atLeast(0), Importance.HIGH,
                        "Orders to generate over all tasks; 0 means no limit. When a task has produced its share it "
                                + "stays RUNNING and idle, and logs that it finished.",
                        GROUP, ++order, Width.MEDIUM, "Max orders")
                .define(ORDERS_PER_SECOND, Type.DOUBLE, 10.0, Range.atLeast(0), Importance.HIGH,
                        "Orders each task starts per second of wall-clock time; 0 means as fast as possible. "
                                + "Only the pace changes, never the records.",
                        GROUP, ++order, Width.SHORT, "Orders per second per task")
                .define(POLL_LINGER_MS, Type.LONG, 100L, Range.between(0L, 10_000L), Importance.LOW,
                        "With " + ORDERS_PER_SECOND + " > 0: how long one poll keeps collecting the events that come "
                                + "due before it hands them to the worker, in milliseconds (it returns sooner once it "
                                + "holds batch.max.records). Under exactly-once support every poll is one Kafka "
                                + "transaction: handing over each event as it comes due would make hundreds of small "
                                + "transactions a second and keep the broker busy with them. 0 hands them over at once.",
                        GROUP, ++order, Width.SHORT, "Poll linger (ms)")
                .define(EVENT_TIME_START, Type.STRING, ConfigValidators.NOW, ConfigValidators.instantOrNow(),
                        Importance.MEDIUM,
                        "Event time of the first order: 'now' (fixed when the connector starts) or an ISO-8601 "
                                + "instant. A stream that has stored offsets keeps the start it was created with.",
                        GROUP, ++order, Width.MEDIUM, "Event time start")
                .define(ORDER_INTERVAL_MS, Type.DOUBLE, 0.0, Range.atLeast(0), Importance.LOW,
                        "Simulated event time between consecutive orders over all tasks, in milliseconds (fractions "
                                + "allowed). 0 derives it from " + ORDERS_PER_SECOND + " so that simulated time keeps "
                                + "pace with the wall clock; with " + ORDERS_PER_SECOND + "=0 it is 10 ms.",
                        GROUP, ++order, Width.SHORT, "Order interval (ms)")
                .define(LATE_FRACTION, Type.DOUBLE, 0.02, Range.between(0.0, 1.0), Importance.MEDIUM,
                        "Share of events emitted late, after events with a later event time, to exercise "
                                + "watermarks downstream.",
                        GROUP, ++order, Width.SHORT, "Late event fraction")
                .define(LATE_MAX_MS, Type.LONG, 8_000L, Range.between(0L, 3_600_000L), Importance.MEDIUM,
                        "Bound on how late a late event is, in milliseconds of event time. Every event's time is at "
                                + "least the highest event time emitted before it minus this bound.",
                        GROUP, ++order, Width.SHORT, "Max lateness (ms)");
    }

    static List<FieldError> crossFieldErrors(Map<String, Object> values) {
        List<FieldError> errors = new ArrayList<>();
        if (values.get(LATE_FRACTION) instanceof Double fraction && values.get(LATE_MAX_MS) instanceof Long max
                && fraction > 0 && max == 0) {
            errors.add(new FieldError(LATE_MAX_MS,
                    LATE_MAX_MS + " must be > 0 when " + LATE_FRACTION + " is > 0 (" + fraction + ")"));
        }
        return errors;
    }

    public long seed() {
        return config.getLong(SEED);
    }

    public long maxOrders() {
        return config.getLong(MAX_ORDERS);
    }

    public double ordersPerSecond() {
        return config.getDouble(ORDERS_PER_SECOND);
    }

    public long pollLingerMs() {
        return config.getLong(POLL_LINGER_MS);
    }

    /** The configured start, or empty for 'now'. */
    public Optional<Instant> eventTimeStart() {
        String text = config.getString(EVENT_TIME_START).trim();
        return text.toLowerCase(Locale.ROOT).equals(ConfigValidators.NOW) ? Optional.empty() : Optional.of(Instant.parse(text));
    }

    /** Simulated gap between consecutive order numbers, for a connector running {@code taskCount} tasks. */
    public long orderIntervalMicros(int taskCount) {
        double configuredMs = config.getDouble(ORDER_INTERVAL_MS);
        if (configuredMs > 0) {
            return Math.max(1, Math.round(configuredMs * 1000));
        }
        if (ordersPerSecond() > 0) {
            return Math.max(1, Math.round(1_000_000 / (ordersPerSecond() * taskCount)));
        }
        return UNPACED_ORDER_INTERVAL_MICROS;
    }

    public double lateFraction() {
        return config.getDouble(LATE_FRACTION);
    }

    public long lateMaxMs() {
        return config.getLong(LATE_MAX_MS);
    }
}
