package org.apache.kafka.common.metrics;

import org.apache.kafka.common.MetricName;

import java.util.LinkedHashMap;

/**
 * KIP-877's {@code PluginMetrics}, declared for workers older than Kafka 4.1 so that {@link Monitorable} resolves
 * there; no such worker hands out an instance. {@code PluginApiDeclarationsTest} holds the signatures to Kafka's.
 */
public interface PluginMetrics {

    MetricName metricName(String name, String description, LinkedHashMap<String, String> tags);

    void addMetric(MetricName metricName, MetricValueProvider<?> metricValueProvider);

    void removeMetric(MetricName metricName);

    Sensor addSensor(String name);

    void removeSensor(String name);
}
