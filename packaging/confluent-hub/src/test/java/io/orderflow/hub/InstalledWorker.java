package io.orderflow.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.testing.ConnectStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An installed worker process's REST API, as an operator uses it: deploy, delete, restart and read states. */
final class InstalledWorker {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI rest;

    InstalledWorker(URI rest) {
        this.rest = rest;
    }

    URI uri() {
        return rest;
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
