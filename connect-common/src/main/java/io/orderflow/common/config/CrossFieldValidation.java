package io.orderflow.common.config;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Adds a connector's cross-field checks to the framework's per-option validation, on the option each concerns. */
public final class CrossFieldValidation {

    private CrossFieldValidation() {
    }

    /**
     * Refuses a configuration at construction, as {@code AbstractConfig} refuses a single bad value: the first
     * cross-field error becomes a {@link org.apache.kafka.common.config.ConfigException} on its option.
     */
    public static void requireNone(List<FieldError> errors, Map<String, ?> values) {
        for (FieldError error : errors) {
            throw new org.apache.kafka.common.config.ConfigException(error.name(), values.get(error.name()), error.message());
        }
    }

    /**
     * @param result the framework's validation of each option on its own
     * @param checks cross-field checks over the options that parsed without error
     */
    public static Config apply(Config result, Function<Map<String, Object>, List<FieldError>> checks) {
        Map<String, Object> parsed = new HashMap<>();
        for (ConfigValue value : result.configValues()) {
            if (value.errorMessages().isEmpty() && value.value() != null) {
                parsed.put(value.name(), value.value());
            }
        }
        return addErrors(result, checks.apply(parsed));
    }

    /**
     * Puts each error on its option's entry of the result; an option the connector does not define (one of the
     * worker's, such as {@code errors.retry.timeout}) gets an entry of its own, which the worker reports with its
     * own entry for that option.
     */
    public static Config addErrors(Config result, List<FieldError> errors) {
        Map<String, ConfigValue> byName = new HashMap<>();
        for (ConfigValue value : result.configValues()) {
            byName.put(value.name(), value);
        }
        for (FieldError error : errors) {
            byName.computeIfAbsent(error.name(), name -> {
                ConfigValue value = new ConfigValue(name);
                result.configValues().add(value);
                return value;
            }).addErrorMessage(error.message());
        }
        return result;
    }
}
