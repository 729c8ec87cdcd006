package io.orderflow.local.stack;

import io.orderflow.testing.Promtool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs packaging/monitoring/alerts.yml in promtool on series an exporter really served: the alert ITs scrape a real
 * broker or worker, then replay what they scraped a minute apart, as Prometheus would have stored it, and say which
 * {@code ALERTS} samples promtool must find when.
 */
final class AlertReplay {

    private AlertReplay() {
    }

    /** One scraped series: its labels (without braces or a trailing comma) and its value. */
    record Scraped(String labels, double value) {
    }

    /** The first series {@code name} in {@code scrape} whose labels contain {@code labelFilter}, or null. */
    static Scraped find(String scrape, String name, String labelFilter) {
        for (String line : scrape.lines().toList()) {
            if (line.startsWith(name + "{") && line.contains(labelFilter)) {
                String labels = line.substring(line.indexOf('{') + 1, line.lastIndexOf('}')).replaceAll(",$", "");
                return new Scraped(labels, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return null;
    }

    /** An input series of the test: {@code name{labels}} with promtool's value notation. */
    static String series(String name, String labels, String values) {
        return "      - series: '" + name + "{" + labels + "}'\n        values: '" + values + "'\n";
    }

    /** At {@code evalTime}, {@code expr} (an ALERTS selector) holds exactly {@code alerts} (label sets), each 1. */
    static String expect(String expr, String evalTime, List<String> alerts) {
        StringBuilder test = new StringBuilder("      - expr: " + expr + "\n        eval_time: " + evalTime + "\n        exp_samples:");
        if (alerts.isEmpty()) {
            test.append(" []\n");
        }
        for (String alert : alerts) {
            test.append("\n          - labels: '").append(alert).append("'\n            value: 1\n");
        }
        return test.toString();
    }

    /** Runs alerts.yml in promtool on {@code series} (samples a minute apart) and the expected ALERTS samples. */
    static Promtool.Result run(Path dir, String name, String series, List<String> expectations) throws Exception {
        Path rules = StackProcesses.projectRoot().resolve("packaging/monitoring/alerts.yml");
        Path test = dir.resolve(name + "-test.yml");
        Files.writeString(test, "rule_files:\n  - " + rules + "\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n"
                + "    input_series:\n" + series + "    promql_expr_test:\n" + String.join("", expectations));
        return Promtool.run(dir, "test", "rules", test.toString());
    }
}
