package io.orderflow.monitoring;

import io.orderflow.testing.Promtool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The alert rules pass Prometheus' own checker and their unit tests (alerts-test.yml: each alert fires on the series
 * that should raise it and not on healthy ones), with Debian's promtool, which .ci/run installs. HangingTransactionAlertIT
 * (local-stack) checks OrderflowTransactionHanging on what a real broker's exporter serves.
 */
class AlertRulesTest {

    private static final Path DIR = Path.of("").toAbsolutePath();

    @BeforeAll
    static void promtoolIsInstalled() {
        assumeTrue(Promtool.isInstalled(), Promtool.MISSING);
    }

    @Test
    void rulesAreValidPrometheusRules() throws Exception {
        Promtool.Result check = Promtool.run(DIR, "check", "rules", "alerts.yml");
        assertTrue(check.succeeded(), check::toString);
    }

    @Test
    void everyAlertFiresOnlyWhereItsUnitTestsSay() throws Exception {
        Promtool.Result test = Promtool.run(DIR, "test", "rules", "alerts-test.yml");
        assertTrue(test.succeeded(), test::toString);
    }
}
