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
    static final String SECRETS_ON_WORKERS = "/etc/orderflow/secrets/";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

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

    /**
     * A connector file as a worker with the secrets in {@code secrets} sees it: the placeholders' directory
     * ({@code /etc/orderflow/secrets/} on production workers) moved there.
     */
    static Map<String, String> read(Path file, Path secrets) throws IOException {
        String text = Files.readString(file).replace(SECRETS_ON_WORKERS, secrets + "/");
        Map<String, String> config = new LinkedHashMap<>();
        JSON.readTree(text).fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    /** PUTs a connector file's content (its {@code name} taken out as the REST path) and expects it accepted. */
    static void put(ConnectStack stack, Map<String, String> config) {
        Map<String, String> body = new LinkedHashMap<>(config);
        String name = body.remove("name");
        HttpResponse<String> response = stack.rest("PUT", "connectors/" + name + "/config", ConnectStack.toJson(body));
        assertTrue(response.statusCode() / 100 == 2, name + ": " + response.body());
    }
}
