package io.orderflow.hub;

import io.orderflow.testing.CommittedTopicReader;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.PluginArchive;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Confluent Hub archive this module builds, installed as a user installs it — unzipped into a worker's
 * {@code plugin.path} — and worker processes ({@code ConnectDistributed}) whose classpath holds the Connect runtime
 * but none of the project's classes, so every plugin class comes through the archive's own class loader.
 */
final class InstalledPlugin {

    static final Path PROJECT_ROOT = Path.of("").toAbsolutePath().getParent().getParent();

    private InstalledPlugin() {
    }

    static Path archive() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target", "components", "packages"))) {
            return files.filter(f -> f.toString().endsWith(".zip")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No archive under target/components/packages: run mvn package"));
        }
    }

    /** Unzips as {@code confluent-hub install} does: one folder per component under the plugin path. */
    static Path unzip(Path zip, Path pluginPath) throws IOException {
        return PluginArchive.unzip(zip, pluginPath);
    }

    /**
     * This JVM's classpath without the project's own classes and jars: the Connect runtime and the libraries the
     * tests use. Third-party jars may stay; the plugin's class loader looks in the archive first for everything but
     * the Connect API, so the archive's copies are the ones the plugins run with.
     */
    static String workerClasspath() {
        return PluginArchive.workerClasspath(PROJECT_ROOT);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits until a worker process answers on its REST API; fails with its log if it exits first. */
    static void awaitRest(Process worker, URI rest, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!worker.isAlive()) {
                throw new AssertionError("The installed worker exited:\n" + tail(log, ""));
            }
            try {
                if (ConnectStack.rest(rest.resolve("/connectors"), "GET", null).statusCode() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("The installed worker's REST API did not come up");
    }

    /** The last 40 lines of a worker's log that match a pattern. */
    static String tail(Path log, String pattern) {
        try {
            List<String> lines = Files.readAllLines(log).stream()
                    .filter(line -> java.util.regex.Pattern.compile(pattern).matcher(line).find()).toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no worker log: " + e + ")";
        }
    }

    /** Data records in a topic as a read_committed consumer sees them now (transaction markers are not counted). */
    static long committedRecords(ConnectStack stack, String topic) {
        return CommittedTopicReader.count(stack.bootstrapServers(), topic);
    }
}
