package io.orderflow.configs;

import io.orderflow.testing.ConnectStack;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the ITs of the shipped files share: the worker properties the production folder ships, and deploying a file. */
final class ShippedConfigs {

    static final Path FOLDER = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    static final Path PRODUCTION = FOLDER.resolve("production");

    private ShippedConfigs() {
    }

    /** {@code production/worker-config-providers.properties}: what every worker running the production files needs. */
    static Map<String, String> workerConfigProviders() throws IOException {
        Map<String, String> providers = new HashMap<>();
        for (String line : Files.readAllLines(PRODUCTION.resolve("worker-config-providers.properties"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                providers.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return providers;
    }

    /** PUTs a connector file's content (its {@code name} taken out as the REST path) and expects it accepted. */
    static void put(ConnectStack stack, Map<String, String> config) {
        Map<String, String> body = new LinkedHashMap<>(config);
        String name = body.remove("name");
        HttpResponse<String> response = stack.rest("PUT", "connectors/" + name + "/config", ConnectStack.toJson(body));
        assertTrue(response.statusCode() / 100 == 2, name + ": " + response.body());
    }
}
