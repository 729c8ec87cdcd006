package io.orderflow.source.config;

import org.apache.kafka.common.config.ConfigDef;

import java.util.List;
import java.util.Map;

/** Offers a fixed list of values, so Control Center shows a drop-down. */
final class EnumRecommender implements ConfigDef.Recommender {

    private final List<Object> values;

    EnumRecommender(String... values) {
        this.values = List.of((Object[]) values);
    }

    @Override
    public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
        return values;
    }

    @Override
    public boolean visible(String name, Map<String, Object> parsedConfig) {
        return true;
    }
}
