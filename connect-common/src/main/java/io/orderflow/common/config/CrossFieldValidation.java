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
        Map<String, ConfigValue> byName = new HashMap<>();
        Map<String, Object> parsed = new HashMap<>();
        for (ConfigValue value : result.configValues()) {
            byName.put(value.name(), value);
            if (value.errorMessages().isEmpty() && value.value() != null) {
                parsed.put(value.name(), value.value());
            }
        }
        for (FieldError error : checks.apply(parsed)) {
            byName.get(error.name()).addErrorMessage(error.message());
        }
        return result;
    }
}
