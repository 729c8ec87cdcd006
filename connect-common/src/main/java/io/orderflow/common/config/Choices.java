package io.orderflow.common.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigException;

import java.util.List;
import java.util.Map;

/**
 * An option whose value is one of a fixed set, compared case-insensitively: its validator and, so that Control
 * Center renders a drop-down rather than a text field, its recommender.
 */
public final class Choices implements ConfigDef.Validator, ConfigDef.Recommender {

    private final List<String> values;

    private Choices(List<String> values) {
        this.values = List.copyOf(values);
    }

    public static Choices of(String... values) {
        return new Choices(List.of(values));
    }

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null || values.stream().noneMatch(v -> v.equalsIgnoreCase(value.toString()))) {
            throw new ConfigException(name, value, "must be one of " + String.join(", ", values));
        }
    }

    @Override
    public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
        return List.copyOf(values);
    }

    @Override
    public boolean visible(String name, Map<String, Object> parsedConfig) {
        return true;
    }

    /**
     * The same definitions, each {@link Choices} validator also set as the option's recommender: definitions keep
     * the short {@code define(..., Choices.of(...), ...)} form and get their drop-down here, in one place.
     */
    public static ConfigDef recommended(ConfigDef definitions) {
        ConfigDef result = new ConfigDef();
        for (ConfigKey key : definitions.configKeys().values()) {
            ConfigDef.Recommender recommender = key.recommender == null && key.validator instanceof Choices choices
                    ? choices : key.recommender;
            result.define(new ConfigKey(key.name, key.type, key.defaultValue, key.validator, key.importance,
                    key.documentation, key.group, key.orderInGroup, key.width, key.displayName, key.dependents,
                    recommender, key.internalConfig));
        }
        return result;
    }

    @Override
    public String toString() {
        return "one of " + String.join(", ", values) + " (case-insensitive)";
    }
}
