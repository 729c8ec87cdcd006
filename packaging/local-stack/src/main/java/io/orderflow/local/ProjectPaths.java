package io.orderflow.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the checkout's folders, whether started by Maven (from any module) or by hand. */
final class ProjectPaths {

    private ProjectPaths() {
    }

    static Path connectorConfigs() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            Path configs = candidate.resolve("connector-configs");
            if (Files.isDirectory(configs) && Files.exists(candidate.resolve("pom.xml"))) {
                return configs;
            }
        }
        throw new IllegalStateException("No connector-configs folder above " + dir + "; run from the orderflow checkout");
    }
}
