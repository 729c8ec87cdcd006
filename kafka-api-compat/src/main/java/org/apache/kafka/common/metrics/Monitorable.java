package org.apache.kafka.common.metrics;

/**
 * KIP-877's {@code Monitorable}, declared for workers older than Kafka 4.1, which lack it: without a declaration, a
 * plugin class that implements it cannot be loaded there at all. Such a worker never calls it, so the plugin simply
 * has no metrics. On Kafka 4.1+ the worker's own interface is loaded (parent first) and this one is not.
 */
public interface Monitorable {

    void withPluginMetrics(PluginMetrics metrics);
}
