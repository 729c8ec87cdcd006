package io.orderflow.common.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.time.DateTimeException;
import java.time.ZoneId;

/** Accepts time zone ids such as UTC or Europe/Berlin. */
public final class ZoneValidator implements ConfigDef.Validator {

    @Override
    public void ensureValid(String name, Object value) {
        try {
            ZoneId.of(String.valueOf(value));
        } catch (DateTimeException e) {
            throw new ConfigException(name, value, "not a time zone id such as UTC or Europe/Berlin");
        }
    }

    @Override
    public String toString() {
        return "a time zone id such as UTC or Europe/Berlin";
    }
}
