package io.orderflow.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' own rule checker, {@code promtool} (Debian's {@code prometheus} package, which .ci/run installs), run
 * on packaging/monitoring's alert rules and on rule tests written from what a real exporter scraped.
 */
public final class Promtool {

    private Promtool() {
    }

    /** The message of a test that cannot run without it: say so, as nothing is checked then. */
    public static final String MISSING = "promtool is not installed (Debian: apt-get install prometheus); "
            + "the alert rules in packaging/monitoring are NOT checked in this run";

    public static boolean isInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "promtool"))) {
                return true;
            }
        }
        return false;
    }

    /** What one promtool command printed, and whether it succeeded. */
    public record Result(String command, int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return command + " (exit " + exitCode + "):\n" + output;
        }
    }

    /** Runs {@code promtool args...} in {@code dir}, for at most two minutes. */
    public static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process promtool = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!promtool.waitFor(2, TimeUnit.MINUTES)) {
            promtool.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in 2 minutes:\n" + output);
        }
        return new Result(String.join(" ", command), promtool.exitValue(), output);
    }
}
