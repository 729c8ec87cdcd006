package io.orderflow.source.config;

import io.orderflow.source.generator.CurrencyMix;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.internals.Topic;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/** Validators for option values that ConfigDef's built-ins cannot check. */
final class ConfigValidators {

    static final String NOW = "now";

    private ConfigValidators() {
    }

    /** {@code now} or an ISO-8601 instant such as {@code 2026-01-01T00:00:00Z}. */
    static ConfigDef.Validator instantOrNow() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String text = value == null ? "" : value.toString().trim();
                if (NOW.equals(text.toLowerCase(Locale.ROOT))) {
                    return;
                }
                try {
                    Instant.parse(text);
                } catch (DateTimeParseException e) {
                    throw new ConfigException(name, value,
                            "must be 'now' or an ISO-8601 instant such as 2026-01-01T00:00:00Z");
                }
            }

            @Override
            public String toString() {
                return "'now' or an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z";
            }
        };
    }

    /** A name Kafka accepts for a topic. */
    static ConfigDef.Validator topicName() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String topic = value == null ? "" : value.toString();
                try {
                    Topic.validate(topic);
                } catch (RuntimeException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "a legal Kafka topic name (letters, digits, '.', '_', '-'; at most 249 characters)";
            }
        };
    }

    /** A list of {@code CODE[:weight]} entries with ISO 4217 codes. */
    static ConfigDef.Validator currencyMix() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (!(value instanceof List<?> entries)) {
                    throw new ConfigException(name, value, "must be a list of CODE[:weight] entries");
                }
                try {
                    CurrencyMix.parse(entries.stream().map(String::valueOf).toList());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "ISO 4217 codes with optional relative weights, e.g. USD:6,EUR:3,GBP:1";
            }
        };
    }
}
