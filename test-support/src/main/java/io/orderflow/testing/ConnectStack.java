package io.orderflow.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node KRaft broker and real distributed-mode Connect workers in this JVM, reached over real
 * HTTP. Connectors are configured only through the REST API, exactly as on a production cluster.
 */
public final class ConnectStack implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedConnectCluster connect;
    private final Map<String, String> workerProps;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ConnectStack(EmbeddedConnectCluster connect, Map<String, String> workerProps) {
        this.connect = connect;
        this.workerProps = workerProps;
    }

    /** Starts a broker and {@code workers} workers with exactly-once source support enabled. */
    public static ConnectStack start(String name, int workers) {
        return start(name, workers, Map.of());
    }

    public static ConnectStack start(String name, int workers, Map<String, String> extraWorkerProps) {
        Properties broker = new Properties();
        broker.put("group.initial.rebalance.delay.ms", "0");
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        broker.put("offsets.topic.replication.factor", "1");
        Map<String, String> worker = new HashMap<>();
        worker.put("exactly.once.source.support", "enabled");
        worker.put("offset.flush.interval.ms", "1000");
        // Libraries on the test classpath (Apicurio's Avro converters) ship converters without ServiceLoader
        // manifests; the embedded worker's default (hybrid_fail) would refuse to start because of them.
        worker.put("plugin.discovery", "hybrid_warn");
        // Named explicitly so that a worker process (see startWorkerProcess) can join the same cluster.
        worker.put("group.id", "orderflow-" + name);
        worker.put("offset.storage.topic", "orderflow-" + name + "-offsets");
        worker.put("config.storage.topic", "orderflow-" + name + "-configs");
        worker.put("status.storage.topic", "orderflow-" + name + "-status");
        // A worker that dies without leaving hands its tasks over within seconds, not the default 5 minutes.
        worker.put("scheduled.rebalance.max.delay.ms", "5000");
        worker.put("consumer.session.timeout.ms", "10000");
        worker.putAll(extraWorkerProps);
        EmbeddedConnectCluster cluster = new EmbeddedConnectCluster.Builder()
                .name(name)
                .numWorkers(workers)
                .brokerProps(broker)
                .workerProps(worker)
                .build();
        cluster.start();
        return new ConnectStack(cluster, Map.copyOf(worker));
    }

    public EmbeddedConnectCluster connect() {
        return connect;
    }

    /**
     * Creates a topic that keeps its records forever. The order source stamps records with their simulated
     * event time, which tests set in the past; under the default 7-day retention the broker would delete
     * those records within minutes, while a test still compares the topic with what the sinks wrote.
     */
    public void createTopic(String topic, int partitions) {
        connect.kafka().createTopic(topic, partitions, 1, Map.of("retention.ms", "-1"));
    }

    /**
     * A dead letter queue as README's Operations tells operators to create it, before the connector: timestamped on
     * append. The worker's reporter keeps each record's own timestamp, the event time in these tests; in a topic the
     * worker creates itself (CreateTime, the broker's 7-day retention), a dead letter of an older event is deleted at
     * the broker's next retention check, and a test reading the topic then would find nothing.
     */
    public void createDeadLetterTopic(String topic) {
        connect.kafka().createTopic(topic, 1, 1, Map.of("message.timestamp.type", "LogAppendTime"));
    }

    public String bootstrapServers() {
        return connect.kafka().bootstrapServers();
    }

    /**
     * The partition assignor the members of a sink connector's consumer group agreed on ("range",
     * "cooperative-sticky"), once the group is stable (a group in a rebalance names none).
     */
    public String sinkPartitionAssignor(String connector) {
        String group = "connect-" + connector;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups()
                        .get(group).get(30, TimeUnit.SECONDS);
                if (!description.partitionAssignor().isEmpty() || System.nanoTime() > deadline) {
                    return description.partitionAssignor().isEmpty() ? "none (" + description.groupState() + ")"
                            : description.partitionAssignor();
                }
                Thread.sleep(500);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot describe the consumer group " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts one more worker of this cluster as a separate JVM (ConnectDistributed, this JVM's classpath), so
     * that a test can kill it hard ({@link Process#destroyForcibly()} sends SIGKILL) mid-run.
     *
     * @return the process; its REST endpoint, and so its worker id in task statuses, is 127.0.0.1:{@code port}
     */
    public Process startWorkerProcess(Path dir, int port) throws IOException {
        Properties props = WorkerProcessConfig.cluster(bootstrapServers(), workerProps.get("group.id"), port);
        return startProcess(dir, port, props, System.getProperty("java.class.path"), List.of());
    }

    /**
     * Starts a worker as a separate JVM that sees plugins only through {@code plugin.path}, as an installed worker
     * does: its own Connect cluster (group and storage topics) on this stack's broker, {@code plugin.discovery=
     * service_load}, and the given classpath, which should hold the Connect runtime but none of the plugins' classes.
     *
     * @return the process; its REST API is on 127.0.0.1:{@code port}
     */
    public Process startInstalledWorkerProcess(Path dir, int port, Path pluginPath, String classpath) throws IOException {
        return startInstalledWorkerProcess(dir, port, pluginPath, classpath, workerProps.get("group.id") + "-installed");
    }

    /** As above, as a Connect cluster of its own named {@code cluster} (group and storage topics). */
    public Process startInstalledWorkerProcess(Path dir, int port, Path pluginPath, String classpath, String cluster)
            throws IOException {
        return startInstalledWorkerProcess(dir, port, pluginPath, classpath, cluster, List.of());
    }

    /** As above, with extra JVM options (say, a JMX port or a Java agent). */
    public Process startInstalledWorkerProcess(Path dir, int port, Path pluginPath, String classpath, String cluster,
                                               List<String> jvmOptions) throws IOException {
        return startProcess(dir, port, WorkerProcessConfig.installed(bootstrapServers(), cluster, port, pluginPath),
                classpath, jvmOptions);
    }

    /** The embedded workers' settings (exactly-once support, rebalance delays), then {@code worker} over them. */
    private Process startProcess(Path dir, int port, Properties worker, String classpath, List<String> jvmOptions)
            throws IOException {
        Properties props = new Properties();
        props.putAll(workerProps);
        props.putAll(worker);
        Path file = dir.resolve("worker-" + port + ".properties");
        try (var out = Files.newBufferedWriter(file)) {
            props.store(out, "orderflow test worker");
        }
        // INFO, as a production worker logs: test jars on the classpath may carry a DEBUG configuration of their own.
        Path logConfig = dir.resolve("worker-log4j2.properties");
        Files.writeString(logConfig, WorkerProcessConfig.LOG4J2_PROPERTIES);
        // Kafka 3.9 workers log through reload4j (log4j 1 syntax), Kafka 4 workers through log4j2.
        Path log4j1Config = dir.resolve("worker-log4j.properties");
        Files.writeString(log4j1Config, String.join("\n", "log4j.rootLogger=INFO, out",
                "log4j.appender.out=org.apache.log4j.ConsoleAppender", "log4j.appender.out.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.out.layout.ConversionPattern=[%d] %p %m (%c:%L)%n", ""));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-Dlog4j2.configurationFile=" + logConfig.toUri(), "-Dlog4j.configuration=" + log4j1Config.toUri()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, "org.apache.kafka.connect.cli.ConnectDistributed", file.toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("worker-" + port + ".log").toFile())
                .start();
    }

    /** Sends one request to the worker's REST API and returns the response, whatever its status. */
    public HttpResponse<String> rest(String method, String resource, String json) {
        return rest(URI.create(connect.endpointForResource(resource)), method, json);
    }

    /** Sends one request to any worker's REST API (for example a worker process) and returns the response. */
    public static HttpResponse<String> rest(URI uri, String method, String json) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + uri + " interrupted", e);
        }
    }

    /**
     * Creates or updates a connector from a connector-configs JSON file (a config map with a {@code name}),
     * with {@code overrides} applied, by {@code PUT /connectors/{name}/config}.
     *
     * @return the connector name
     */
    public String deploy(Path configFile, Map<String, String> overrides) {
        Map<String, String> config = readConfig(configFile);
        config.putAll(overrides);
        String name = config.get("name");
        HttpResponse<String> response = rest("PUT", "connectors/" + name + "/config", toJson(config));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Deploying " + configFile + " failed with HTTP " + response.statusCode()
                    + ": " + response.body());
        }
        return name;
    }

    public static Map<String, String> readConfig(Path configFile) {
        try {
            Map<String, String> config = JSON.readValue(Files.readString(configFile), new TypeReference<LinkedHashMap<String, String>>() { });
            if (!config.containsKey("name")) {
                throw new IllegalArgumentException(configFile + " has no \"name\"");
            }
            return config;
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read connector config " + configFile, e);
        }
    }

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        connect.stop();
    }
}
