package io.orderflow.monitoring;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The alert rules pass Prometheus' own checker and their unit tests (alerts-test.yml: each alert fires on the series
 * that should raise it and not on healthy ones), with Debian's promtool, which .ci/run installs.
 */
class AlertRulesTest {

    private static final Path DIR = Path.of("").toAbsolutePath();

    @BeforeAll
    static void promtoolIsInstalled() {
        assumeTrue(onPath("promtool"), "promtool is not installed (Debian: apt-get install prometheus); "
                + "the alert rules in packaging/monitoring are NOT checked in this run");
    }

    @Test
    void rulesAreValidPrometheusRules() throws Exception {
        assertPromtool("check", "rules", "alerts.yml");
    }

    @Test
    void everyAlertFiresOnlyWhereItsUnitTestsSay() throws Exception {
        assertPromtool("test", "rules", "alerts-test.yml");
    }

    private static void assertPromtool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process promtool = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, promtool.waitFor(2, TimeUnit.MINUTES), "promtool did not finish");
        assertEquals(0, promtool.exitValue(), String.join(" ", command) + ":\n" + output);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
