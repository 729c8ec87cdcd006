package io.orderflow.local.stack;

import io.orderflow.testing.PluginArchive;
import io.orderflow.testing.Processes;
import io.orderflow.testing.SchemaRegistryServer;
import io.orderflow.testing.WorkerProcessConfig;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The local stack's separate processes, started from the Apache Kafka and S3Proxy jars Maven resolved for this
 * module, none of them holding a project class: a KRaft broker ({@code kafka.Kafka}), S3Proxy on a directory, and a
 * {@code ConnectDistributed} worker that sees orderflow only through the archive unzipped on its {@code plugin.path},
 * as a user installs it. Each logs to a file under {@code <run>/logs}.
 */
public final class StackProcesses implements AutoCloseable {

    static final String S3_ACCESS_KEY = "orderflow-local";
    static final String S3_SECRET_KEY = "orderflow-local-secret";
    /** The lake's bucket, created with S3Proxy. */
    public static final String LAKE_BUCKET = "orderflow-lake";

    private final Path run;
    private final Path apicurioHome;
    private final String classpath;
    private final List<Process> started = new ArrayList<>();
    private final Map<String, Process> byName = new HashMap<>();
    private final List<String> jvmOptions;
    private SchemaRegistryServer registry;
    /** How many processes had started when the registry did: it stops in reverse order of starting, as they do. */
    private int startedBeforeRegistry;

    final int brokerPort;
    final int controllerPort;
    final int s3Port;
    final int restPort;
    /** The first worker's JMX port (127.0.0.1, no authentication: a local stack only). */
    public final int jmxPort;

    public StackProcesses(Path projectRoot, Path run, int restPort, List<String> workerJvmOptions) throws IOException {
        this.run = run;
        this.apicurioHome = projectRoot.resolve("packaging/local-stack/target/apicurio");
        // Kafka, Connect, S3Proxy and their libraries as Maven resolved them; the worker finds orderflow only on its
        // plugin path.
        this.classpath = PluginArchive.workerClasspath(projectRoot);
        this.jvmOptions = workerJvmOptions;
        this.brokerPort = freePort();
        this.controllerPort = freePort();
        this.s3Port = freePort();
        this.restPort = restPort;
        this.jmxPort = freePort();
        Files.createDirectories(run.resolve("logs"));
    }

    public Path logs() {
        return run.resolve("logs");
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public URI rest() {
        return URI.create("http://127.0.0.1:" + restPort);
    }

    public String s3Endpoint() {
        return "http://127.0.0.1:" + s3Port;
    }

    /** Formats the broker's log directory (KRaft, one combined broker and controller) and starts it. */
    public void startBroker() throws Exception {
        startBroker(List.of());
    }

    /** The same, the broker's JVM also given {@code jvmOptions} (say, {@link #prometheusExporter}). */
    public void startBroker(List<String> jvmOptions) throws Exception {
        Path data = Files.createDirectories(run.resolve("kafka"));
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", data.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "4");
        Path config = write("broker.properties", props);
        Process format = java("kafka-storage-format", List.of(), "kafka.tools.StorageTool", "format", "-t",
                UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c", config.toString(), "--ignore-formatted");
        if (format.waitFor() != 0) {
            throw new IOException("Formatting the broker's storage failed; see " + logs().resolve("kafka-storage-format.log"));
        }
        List<String> options = new ArrayList<>(List.of("-Xmx512m"));
        options.addAll(jvmOptions);
        started.add(java("broker", options, "kafka.Kafka", config.toString()));
        awaitPort(brokerPort, "broker");
    }

    /** S3Proxy over HTTP on a local directory: the lake's S3 endpoint. */
    public void startS3() throws Exception {
        Properties props = new Properties();
        props.put("s3proxy.endpoint", s3Endpoint());
        props.put("s3proxy.authorization", "aws-v2-or-v4");
        props.put("s3proxy.identity", S3_ACCESS_KEY);
        props.put("s3proxy.credential", S3_SECRET_KEY);
        props.put("s3proxy.ignore-unknown-headers", "true");
        props.put("jclouds.provider", "filesystem-nio2");
        props.put("jclouds.identity", S3_ACCESS_KEY);
        props.put("jclouds.credential", S3_SECRET_KEY);
        props.put("jclouds.filesystem.basedir", Files.createDirectories(run.resolve("s3")).toString());
        Files.createDirectories(bucketDirectory(LAKE_BUCKET));
        Path config = write("s3proxy.properties", props);
        started.add(java("s3proxy", List.of("-Xmx256m"), "org.gaul.s3proxy.Main", "--properties", config.toString()));
        awaitPort(s3Port, "S3Proxy");
    }

    /**
     * Apicurio Registry 3.0.9 as a process (the build fetched it into this module's {@code target/apicurio}), its log
     * with the others; stopped with the stack.
     */
    public SchemaRegistryServer startRegistry() throws IOException, InterruptedException {
        System.setProperty(SchemaRegistryServer.HOME_PROPERTY, apicurioHome.toString());
        registry = SchemaRegistryServer.start(logs());
        startedBeforeRegistry = started.size();
        return registry;
    }

    /** The worker, with the archive unzipped on its plugin path and JMX open on 127.0.0.1 for the live view. */
    public void startWorker(Path archive) throws Exception {
        startWorker(archive, "worker", restPort, jmxPort);
    }

    /**
     * One more worker of the same Connect cluster (say, {@code worker-2}), its own REST and JMX ports, the same
     * archive installed on a plugin path of its own.
     */
    public void startWorker(Path archive, String name, int port, int jmx) throws Exception {
        Path plugins = Files.createDirectories(run.resolve(name.equals("worker") ? "plugins" : "plugins-" + name));
        PluginArchive.unzip(archive, plugins);
        Properties props = WorkerProcessConfig.installed(bootstrapServers(), "orderflow-local", port, plugins);
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("exactly.once.source.support", "enabled");
        props.put("offset.flush.interval.ms", "2000");
        Path config = write(name + ".properties", props);
        List<String> options = new ArrayList<>(List.of("-Xmx1g",
                "-Dcom.sun.management.jmxremote.port=" + jmx, "-Dcom.sun.management.jmxremote.rmi.port=" + jmx,
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1"));
        options.addAll(jvmOptions);
        started.add(java(name, options, "org.apache.kafka.connect.cli.ConnectDistributed", config.toString()));
        awaitRest(URI.create("http://127.0.0.1:" + port), name, Duration.ofMinutes(2));
    }

    /** The options that point the lake sink at this stack's S3Proxy, path-style, with its keys. */
    public Map<String, String> lakeStoreOptions() {
        return Map.of("s3.endpoint", s3Endpoint(), "s3.path.style.access", "true",
                "s3.access.key.id", S3_ACCESS_KEY, "s3.secret.access.key", S3_SECRET_KEY);
    }

    /** Where S3Proxy keeps the objects of {@code bucket}, as files. */
    public Path bucketDirectory(String bucket) {
        return run.resolve("s3").resolve(bucket);
    }

    /** The operating-system process of one stack member: "broker", "s3proxy", "worker", or a named extra worker. */
    public ProcessHandle process(String name) {
        Process process = byName.get(name);
        if (process == null) {
            throw new IllegalArgumentException("no stack process " + name + "; started: " + byName.keySet());
        }
        return process.toHandle();
    }

    private Process java(String name, List<String> options, String mainClass, String... args) throws IOException {
        Path log4j2 = run.resolve("log4j2.properties");
        if (!Files.exists(log4j2)) {
            Files.writeString(log4j2, WorkerProcessConfig.LOG4J2_PROPERTIES);
        }
        List<String> command = new ArrayList<>();
        // In a session of its own, a stack process does not get the terminal's Ctrl-C: the launcher's shutdown hook
        // stops them in order (worker first, broker last) instead of all at once.
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlog4j2.configurationFile=" + log4j2.toUri()));
        command.addAll(options);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs().resolve(name + ".log").toFile()).start();
        byName.put(name, process);
        return process;
    }

    /**
     * Stops the processes in reverse order of starting (the workers first, the broker last), each given time to shut
     * down cleanly.
     */
    @Override
    public void close() {
        byName.clear();
        for (int i = started.size() - 1; i >= 0; i--) {
            if (registry != null && i < startedBeforeRegistry) {
                closeRegistry();
            }
            Processes.stop(started.get(i), Duration.ofSeconds(20));
        }
        closeRegistry();
        started.clear();
    }

    private void closeRegistry() {
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }

    public boolean allAlive() {
        return started.stream().allMatch(Process::isAlive);
    }

    private void awaitRest(URI rest, String name, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            requireAlive(name);
            try {
                HttpURLConnection connection = (HttpURLConnection) rest.resolve("/connectors").toURL().openConnection();
                connection.setConnectTimeout(1000);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IOException("The worker's REST API did not come up; see " + logs().resolve(name + ".log"));
    }

    private void awaitPort(int port, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            requireAlive(what);
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IOException(what + " is not listening on " + port + "; see " + logs());
    }

    private void requireAlive(String what) throws IOException {
        for (Process process : started) {
            if (!process.isAlive()) {
                throw new IOException(what + ": a stack process exited (code " + process.exitValue() + "); see " + logs());
            }
        }
    }

    private Path write(String name, Properties props) throws IOException {
        Path file = run.resolve(name);
        try (var out = Files.newBufferedWriter(file)) {
            props.store(out, "orderflow local stack");
        }
        return file;
    }

    /**
     * The JVM option that runs the Prometheus JMX exporter agent (on this module's classpath) on {@code port} with
     * {@code config}, one of packaging/monitoring's exporter configurations, as that module tells operators to.
     */
    public static String prometheusExporter(int port, Path config) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().startsWith("jmx_prometheus_javaagent")) {
                return "-javaagent:" + entry + "=" + port + ":" + config;
            }
        }
        throw new IllegalStateException("jmx_prometheus_javaagent is not on the classpath");
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The Confluent Hub archive the build made, as a user downloads it. */
    public static Path archive(Path root) throws IOException {
        Path packages = root.resolve("packaging/confluent-hub/target/components/packages");
        if (Files.isDirectory(packages)) {
            try (Stream<Path> files = Files.list(packages)) {
                return files.filter(f -> f.toString().endsWith(".zip")).findFirst().orElseThrow(() -> missingArchive(packages));
            }
        }
        throw missingArchive(packages);
    }

    private static IllegalStateException missingArchive(Path packages) {
        return new IllegalStateException("No Confluent Hub archive under " + packages + "; build it with: "
                + "mvn -B -q -pl packaging/local-stack -am -DskipTests package");
    }

    /** The orderflow checkout this runs in (the folder holding connector-configs and the parent POM). */
    public static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("connector-configs")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Run from the orderflow checkout (no connector-configs folder above "
                + Path.of("").toAbsolutePath() + ")");
    }
}
