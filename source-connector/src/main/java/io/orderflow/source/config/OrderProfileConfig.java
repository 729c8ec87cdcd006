package io.orderflow.source.config;

import io.orderflow.common.config.FieldError;
import io.orderflow.source.generator.CurrencyMix;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the synthetic orders look like: customers, amounts, currencies and lifecycles. */
public final class OrderProfileConfig {

    static final String CUSTOMERS_GROUP = "Customers and amounts";
    static final String LIFECYCLE_GROUP = "Lifecycle";

    static final String CUSTOMERS_COUNT = "customers.count";
    static final String CUSTOMERS_ZIPF_EXPONENT = "customers.zipf.exponent";
    static final String AMOUNT_MEDIAN = "amount.median";
    static final String AMOUNT_SIGMA = "amount.sigma";
    static final String AMOUNT_MAX = "amount.max";
    static final String CURRENCIES = "currencies";
    static final String CANCEL_PROBABILITY = "lifecycle.cancel.probability";
    static final String REFUND_PROBABILITY = "lifecycle.refund.probability";
    static final String STEP_DELAY_MEAN_MS = "lifecycle.step.delay.mean.ms";
    static final String STEP_DELAY_MAX_MS = "lifecycle.step.delay.max.ms";

    private final AbstractConfig config;

    OrderProfileConfig(AbstractConfig config) {
        this.config = config;
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        def
                .define(CUSTOMERS_COUNT, Type.INT, 10_000, Range.between(1, 1_000_000), Importance.MEDIUM,
                        "Size of the customer population (customer ids cust-000001 ...).",
                        CUSTOMERS_GROUP, ++order, Width.SHORT, "Customers")
                .define(CUSTOMERS_ZIPF_EXPONENT, Type.DOUBLE, 1.1, Range.between(0.0, 10.0), Importance.LOW,
                        "Skew of orders over customers: customer k orders with weight 1/k^exponent (0 = uniform).",
                        CUSTOMERS_GROUP, ++order, Width.SHORT, "Customer skew (Zipf exponent)")
                .define(AMOUNT_MEDIAN, Type.DOUBLE, 45.0, Range.between(0.01, 1_000_000.0), Importance.MEDIUM,
                        "Median order amount; amounts are log-normal around it, rounded to cents.",
                        CUSTOMERS_GROUP, ++order, Width.SHORT, "Median amount")
                .define(AMOUNT_SIGMA, Type.DOUBLE, 0.8, Range.between(0.0, 5.0), Importance.LOW,
                        "Shape of the log-normal amount distribution: larger values give a longer tail of big orders.",
                        CUSTOMERS_GROUP, ++order, Width.SHORT, "Amount spread (sigma)")
                .define(AMOUNT_MAX, Type.DOUBLE, 10_000.0, Range.between(0.01, 1.0e15), Importance.LOW,
                        "Amounts above this are capped to it.",
                        CUSTOMERS_GROUP, ++order, Width.SHORT, "Max amount")
                .define(CURRENCIES, Type.LIST, "USD:6,EUR:3,GBP:1", ConfigValidators.currencyMix(), Importance.MEDIUM,
                        "Currencies with optional relative weights, e.g. USD:6,EUR:3,GBP:1; codes must be ISO 4217.",
                        CUSTOMERS_GROUP, ++order, Width.LONG, "Currencies");
        order = 0;
        return def
                .define(CANCEL_PROBABILITY, Type.DOUBLE, 0.08, Range.between(0.0, 1.0), Importance.MEDIUM,
                        "Share of orders that go CREATED -> CANCELLED.",
                        LIFECYCLE_GROUP, ++order, Width.SHORT, "Cancel probability")
                .define(REFUND_PROBABILITY, Type.DOUBLE, 0.04, Range.between(0.0, 1.0), Importance.MEDIUM,
                        "Share of orders that go CREATED -> PAID -> REFUNDED. The rest go CREATED -> PAID -> SHIPPED "
                                + "-> COMPLETED. Together with " + CANCEL_PROBABILITY + " at most 1.",
                        LIFECYCLE_GROUP, ++order, Width.SHORT, "Refund probability")
                .define(STEP_DELAY_MEAN_MS, Type.LONG, 2_000L, Range.between(1L, 86_400_000L), Importance.MEDIUM,
                        "Mean event-time delay between two steps of an order (exponentially distributed).",
                        LIFECYCLE_GROUP, ++order, Width.SHORT, "Mean step delay (ms)")
                .define(STEP_DELAY_MAX_MS, Type.LONG, 10_000L, Range.between(1L, 86_400_000L), Importance.LOW,
                        "Longest event-time delay between two steps of an order; at least the mean.",
                        LIFECYCLE_GROUP, ++order, Width.SHORT, "Max step delay (ms)");
    }

    static List<FieldError> crossFieldErrors(Map<String, Object> values) {
        List<FieldError> errors = new ArrayList<>();
        if (values.get(CANCEL_PROBABILITY) instanceof Double cancel && values.get(REFUND_PROBABILITY) instanceof Double refund
                && cancel + refund > 1.0) {
            errors.add(new FieldError(REFUND_PROBABILITY, CANCEL_PROBABILITY + " (" + cancel + ") + " + REFUND_PROBABILITY
                    + " (" + refund + ") must not exceed 1"));
        }
        if (values.get(STEP_DELAY_MEAN_MS) instanceof Long mean && values.get(STEP_DELAY_MAX_MS) instanceof Long max
                && mean > max) {
            errors.add(new FieldError(STEP_DELAY_MEAN_MS, STEP_DELAY_MEAN_MS + " (" + mean + ") must not exceed "
                    + STEP_DELAY_MAX_MS + " (" + max + ")"));
        }
        if (values.get(AMOUNT_MEDIAN) instanceof Double median && values.get(AMOUNT_MAX) instanceof Double max
                && median > max) {
            errors.add(new FieldError(AMOUNT_MEDIAN, AMOUNT_MEDIAN + " (" + median + ") must not exceed "
                    + AMOUNT_MAX + " (" + max + ")"));
        }
        return errors;
    }

    public int customers() {
        return config.getInt(CUSTOMERS_COUNT);
    }

    public double zipfExponent() {
        return config.getDouble(CUSTOMERS_ZIPF_EXPONENT);
    }

    public double amountMedian() {
        return config.getDouble(AMOUNT_MEDIAN);
    }

    public double amountSigma() {
        return config.getDouble(AMOUNT_SIGMA);
    }

    public double amountMax() {
        return config.getDouble(AMOUNT_MAX);
    }

    public CurrencyMix currencies() {
        return CurrencyMix.parse(config.getList(CURRENCIES));
    }

    public double cancelProbability() {
        return config.getDouble(CANCEL_PROBABILITY);
    }

    public double refundProbability() {
        return config.getDouble(REFUND_PROBABILITY);
    }

    public long stepDelayMeanMs() {
        return config.getLong(STEP_DELAY_MEAN_MS);
    }

    public long stepDelayMaxMs() {
        return config.getLong(STEP_DELAY_MAX_MS);
    }
}
