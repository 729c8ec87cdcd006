package io.orderflow.source.config;

import io.orderflow.common.config.CrossFieldValidation;
import io.orderflow.common.config.Choices;
import io.orderflow.common.config.FieldError;
import io.orderflow.source.generator.GeneratorSettings;
import io.orderflow.source.generator.OrderProfile;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Configuration of {@code OrderSourceConnector}, assembled from focused fragments: {@link OutputConfig},
 * {@link GeneratorConfig}, {@link OrderProfileConfig} and {@link JdbcConfig} (which also holds the {@code reader} switch).
 */
public class OrderSourceConfig extends AbstractConfig {

    public static final ConfigDef CONFIG_DEF = Choices.recommended(
            JdbcConfig.addTo(OrderProfileConfig.addTo(GeneratorConfig.addTo(OutputConfig.addTo(new ConfigDef())))));

    private final OutputConfig output;
    private final GeneratorConfig generator;
    private final OrderProfileConfig profile;
    private final JdbcConfig jdbc;

    public OrderSourceConfig(Map<String, String> props) {
        this(CONFIG_DEF, props);
    }

    protected OrderSourceConfig(ConfigDef definition, Map<String, String> props) {
        super(definition, props);
        CrossFieldValidation.requireNone(crossFieldErrors(values()), values());
        this.output = new OutputConfig(this);
        this.generator = new GeneratorConfig(this);
        this.profile = new OrderProfileConfig(this);
        this.jdbc = new JdbcConfig(this);
    }

    /** Problems that involve several options, each reported on the option it concerns. */
    public static List<FieldError> crossFieldErrors(Map<String, ?> parsedValues) {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) parsedValues;
        List<FieldError> errors = new ArrayList<>(GeneratorConfig.crossFieldErrors(values));
        errors.addAll(OrderProfileConfig.crossFieldErrors(values));
        errors.addAll(JdbcConfig.crossFieldErrors(values));
        return errors;
    }

    public OutputConfig output() {
        return output;
    }

    public GeneratorConfig generator() {
        return generator;
    }

    public OrderProfileConfig profile() {
        return profile;
    }

    public JdbcConfig jdbc() {
        return jdbc;
    }

    /** Whether the connector runs with {@code errors.tolerance=all}: bad rows are then skipped and counted. */
    public boolean toleratesErrors() {
        return "all".equalsIgnoreCase(String.valueOf(originals().get("errors.tolerance")).trim());
    }

    /** The generator settings for one task of a connector running {@code taskCount} tasks. */
    public GeneratorSettings generatorSettings(int taskId, int taskCount, long startMs) {
        OrderProfile orderProfile = new OrderProfile(
                profile.customers(), profile.zipfExponent(),
                profile.amountMedian(), profile.amountSigma(), profile.amountMax(),
                profile.currencies(),
                profile.cancelProbability(), profile.refundProbability(),
                profile.stepDelayMeanMs(), profile.stepDelayMaxMs(),
                generator.lateFraction(), generator.lateMaxMs());
        return new GeneratorSettings(generator.seed(), taskId, taskCount, generator.maxOrders(), startMs,
                generator.orderIntervalMicros(taskCount), orderProfile);
    }
}
