package io.orderflow.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.testing.ConnectStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A worker process with the archive installed on its plugin path, and its REST API as an operator uses it: deploy,
 * delete, restart and read states. Closing it kills the process.
 */
final class InstalledWorker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI rest;
    private final Process process;
    private final Path log;

    private InstalledWorker(URI rest, Process process, Path log) {
        this.rest = rest;
        this.process = process;
        this.log = log;
    }

    /**
     * Unzips the archive into {@code work/plugins} and starts a worker process of {@code stack}'s broker on it (its
     * own Connect cluster, its log in {@code work}); returns once its REST API answers.
     */
    static InstalledWorker start(ConnectStack stack, Path work) throws Exception {
        Path pluginPath = work.resolve("plugins");
        InstalledPlugin.unzip(InstalledPlugin.archive(), pluginPath);
        int port = InstalledPlugin.freePort();
        URI rest = URI.create("http://127.0.0.1:" + port);
        Process process = stack.startInstalledWorkerProcess(work, port, pluginPath, InstalledPlugin.workerClasspath());
        InstalledWorker worker = new InstalledWorker(rest, process, work.resolve("worker-" + port + ".log"));
        try {
            InstalledPlugin.awaitRest(process, rest, worker.log);
        } catch (AssertionError | InterruptedException e) {
            worker.close();
            throw e;
        }
        return worker;
    }

    URI uri() {
        return rest;
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    HttpResponse<String> rest(String method, String resource, String body) {
        return ConnectStack.rest(rest.resolve(resource), method, body);
    }

    /** Creates or updates the connector its {@code name} names, and requires the worker to accept it. */
    void put(Map<String, String> config) {
        Map<String, String> body = new HashMap<>(config);
        String name = body.remove("name");
        HttpResponse<String> response = rest("PUT", "/connectors/" + name + "/config", ConnectStack.toJson(body));
        assertEquals(2, response.statusCode() / 100, name + ": " + response.body());
    }

    void delete(String connector) {
        assertEquals(2, rest("DELETE", "/connectors/" + connector, null).statusCode() / 100);
    }

    JsonNode status(String connector) {
        try {
            return JSON.readTree(rest("GET", "/connectors/" + connector + "/status", null).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the connector has tasks and every one is in {@code state}. */
    boolean allTasks(String connector, String state) {
        JsonNode tasks = status(connector).path("tasks");
        boolean all = tasks.size() > 0;
        for (JsonNode task : tasks) {
            all &= state.equals(task.path("state").asText());
        }
        return all;
    }

    /** Waits until every task of the connector is in {@code state}; their traces (empty for a running task). */
    List<String> awaitAllTasks(String connector, String state, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!allTasks(connector, state)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(connector + ": not every task " + state + " within " + patience + ": " + status(connector));
            }
            Thread.sleep(500);
        }
        List<String> traces = new ArrayList<>();
        status(connector).path("tasks").forEach(task -> traces.add(task.path("trace").asText()));
        return traces;
    }
}
