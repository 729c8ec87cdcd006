package io.orderflow.configs;

import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.Resources;
import io.orderflow.testing.TempDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every connector JSON in this folder is what users PUT to the REST API; each must pass the worker's own
 * validation with zero errors, and must start.
 */
class ConnectorConfigsIT {

    private static final Path CONFIG_DIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();

    private static ConnectStack stack;
    private static TempDirectory work;

    @BeforeAll
    static void start() {
        stack = ConnectStack.start("orderflow-configs-it", 1);
        work = TempDirectory.create("configs-it-");
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, work);
    }

    static List<Path> configFiles() throws IOException {
        try (Stream<Path> files = Files.list(CONFIG_DIR)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyConfigValidatesAndRuns() throws IOException {
        List<Path> files = configFiles();
        assertFalse(files.isEmpty(), "no connector JSON found in " + CONFIG_DIR);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Map<String, String> config = ConnectStack.readConfig(file);
            assertEquals(file.getFileName().toString(), config.get("name") + ".json", "file name is the connector name");
            String connectorClass = config.get("connector.class");
            HttpResponse<String> validation = stack.rest("PUT",
                    "connector-plugins/" + connectorClass + "/config/validate", ConnectStack.toJson(config));
            assertEquals(200, validation.statusCode(), validation.body());
            assertTrue(validation.body().contains("\"error_count\":0"), validation.body());

            // Started as shipped, except that lake and warehouse files go to this test's own directories.
            Map<String, String> overrides = new java.util.HashMap<>();
            if (config.containsKey("store.url")) {
                overrides.put("store.url", Files.createTempDirectory(work.path(), "lake-").toUri().toString());
            }
            if (config.containsKey("duckdb.path")) {
                overrides.put("duckdb.path", Files.createTempDirectory(work.path(), "warehouse-").resolve("wh.duckdb").toString());
            }
            String name = stack.deploy(file, overrides);
            stack.connect().assertions().assertConnectorAndAtLeastNumTasksAreRunning(name, 1, name + " did not start");
            stack.connect().deleteConnector(name);
            stack.connect().assertions().assertConnectorDoesNotExist(name, name + " was not deleted");
        }));
    }
}
