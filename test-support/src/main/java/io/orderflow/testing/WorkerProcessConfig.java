package io.orderflow.testing;

import java.nio.file.Path;
import java.util.Properties;

/**
 * What a {@code ConnectDistributed} process on this machine is told, for the tests, the local stack and the
 * benchmarks alike: a Connect cluster of its own on one broker (group and storage topics named after it, replication
 * 1), its REST API on 127.0.0.1, and plugins found only on {@code plugin.path} by their service declarations — the
 * archive installed as a user installs it.
 */
public final class WorkerProcessConfig {

    /** The log4j2 configuration every process of ours logs with: INFO, one line an event, to standard output. */
    public static final String LOG4J2_PROPERTIES = String.join("\n", "appender.out.type = Console",
            "appender.out.name = out", "appender.out.layout.type = PatternLayout",
            "appender.out.layout.pattern = [%d] %p %m (%c:%L)%n", "rootLogger.level = INFO",
            "rootLogger.appenderRef.out.ref = out", "");

    private WorkerProcessConfig() {
    }

    /** A worker of the Connect cluster {@code cluster}, listening on 127.0.0.1:{@code restPort}. */
    public static Properties cluster(String bootstrapServers, String cluster, int restPort) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", cluster);
        props.put("listeners", "http://127.0.0.1:" + restPort);
        props.put("rest.advertised.host.name", "127.0.0.1");
        props.put("config.storage.topic", cluster + "-configs");
        props.put("offset.storage.topic", cluster + "-offsets");
        props.put("status.storage.topic", cluster + "-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        return props;
    }

    /** As {@link #cluster}, seeing plugins only through {@code pluginPath} ({@code plugin.discovery=service_load}). */
    public static Properties installed(String bootstrapServers, String cluster, int restPort, Path pluginPath) {
        Properties props = cluster(bootstrapServers, cluster, restPort);
        props.put("plugin.path", pluginPath.toString());
        props.put("plugin.discovery", "service_load");
        return props;
    }
}
