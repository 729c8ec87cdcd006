package io.orderflow.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real schema registry: Apicurio Registry 3.0.9 (in-memory storage) as its own Java process on 127.0.0.1, serving
 * Apicurio's API at {@code /apis/registry/v2} and Confluent's at {@code /apis/ccompat/v7}. The build copies the
 * prebuilt server ({@code io.apicurio:apicurio-registry-app:3.0.9:tar.gz:all}) into {@code target/apicurio} of the
 * modules that use it ({@code -Dorderflow.apicurio.home} names another place); the first start unpacks it there with
 * {@code tar} (Maven's unpack goal would read the artifact's parent POM, which Maven Central does not serve).
 */
public final class SchemaRegistryServer implements AutoCloseable {

    /** Where the unpacked server is, unless {@code -Dorderflow.apicurio.home} says otherwise. */
    public static final String HOME_PROPERTY = "orderflow.apicurio.home";
    private static final String RUNNER = "apicurio-registry-app-3.0.9-runner.jar";
    private static final String ARCHIVE = "apicurio-registry-app-3.0.9-all.tar.gz";

    private final Process process;
    private final int port;

    private SchemaRegistryServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server on a free port, its log in {@code logDir}, and waits until it answers (within a minute). */
    public static SchemaRegistryServer start(Path logDir) throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty(HOME_PROPERTY, "target/apicurio")).toAbsolutePath();
        Path runner = home.resolve(RUNNER);
        if (!Files.isRegularFile(runner)) {
            unpack(home);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(logDir);
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar", runner.toString()))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logDir.resolve("apicurio-" + port + ".log").toFile())
                .start();
        SchemaRegistryServer server = new SchemaRegistryServer(process, port);
        server.awaitReady(Duration.ofMinutes(1), logDir.resolve("apicurio-" + port + ".log"));
        return server;
    }

    private static synchronized void unpack(Path home) throws IOException, InterruptedException {
        Path archive = home.resolve(ARCHIVE);
        if (Files.isRegularFile(home.resolve(RUNNER))) {
            return;
        }
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("No Apicurio Registry at " + archive + ": the module's build copies "
                    + "io.apicurio:apicurio-registry-app:3.0.9:tar.gz:all there (maven-dependency-plugin, fetch-apicurio)");
        }
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", home.toString()).redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (tar.waitFor() != 0 || !Files.isRegularFile(home.resolve(RUNNER))) {
            throw new IllegalStateException("Cannot unpack " + archive + ": " + output);
        }
    }

    private void awaitReady(Duration patience, Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited (" + process.exitValue() + "):\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create(apicurioUrl() + "/system/info")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (info.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException("Apicurio Registry did not answer within " + patience + ":\n" + Files.readString(log));
    }

    /** The port it listens on, 127.0.0.1. */
    public int port() {
        return port;
    }

    /** Apicurio's API, as its converters take it ({@code apicurio.registry.url}). */
    public String apicurioUrl() {
        return apicurioUrl(port);
    }

    /** The same API through another port of 127.0.0.1: a forwarder in front of this server ({@link TcpProxy}). */
    public String apicurioUrl(int via) {
        return "http://127.0.0.1:" + via + "/apis/registry/v2";
    }

    /** Confluent's API, as Confluent's converters take it ({@code schema.registry.url}). */
    public String confluentUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    /**
     * Apicurio's {@code AvroConverter} against this registry under a converter prefix ({@code value.converter}), as
     * the shipped Avro configs set it (the source directly, the sinks as the delegate of orderflow's
     * {@code RegistryOutageConverter}): Confluent's wire format, the schema id in the value.
     *
     * @param register whether the converter registers the schemas it writes (a source) or only reads them (a sink)
     */
    public Map<String, String> avroConverter(String prefix, boolean register) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put(prefix, "io.apicurio.registry.utils.converter.AvroConverter");
        options.put(prefix + ".apicurio.registry.url", apicurioUrl());
        options.put(prefix + ".apicurio.registry.as-confluent", "true");
        options.put(prefix + ".apicurio.registry.use-id", "contentId");
        options.put(prefix + ".apicurio.registry.headers.enabled", "false");
        options.put(prefix + ".apicurio.registry.fault-tolerant-refresh", "true");
        if (register) {
            options.put(prefix + ".apicurio.registry.auto-register", "true");
        }
        return options;
    }

    @Override
    public void close() {
        Processes.stop(process, java.time.Duration.ofSeconds(10));
    }
}
