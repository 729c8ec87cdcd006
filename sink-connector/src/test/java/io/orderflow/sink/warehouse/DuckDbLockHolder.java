package io.orderflow.sink.warehouse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another process that has a DuckDB file open, as a second worker or a DuckDB shell would: DuckDB lets one process
 * write a file, so every open of it here fails with DuckDB's lock error until {@link #close()}.
 */
public final class DuckDbLockHolder implements AutoCloseable {

    private static final String HOLDING = "holding";

    private final Process process;

    private DuckDbLockHolder(Process process) {
        this.process = process;
    }

    public static DuckDbLockHolder hold(Path database) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                DuckDbLockHolder.class.getName(), database.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!HOLDING.equals(line)) {
            process.destroyForcibly();
            throw new IllegalStateException("The DuckDB lock holder did not start: " + line);
        }
        return new DuckDbLockHolder(process);
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Opens the file, says so, and keeps it open until its standard input closes. */
    public static void main(String[] args) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
            System.out.println(HOLDING);
            System.out.flush();
            while (System.in.read() >= 0) {
                // waits for the test to close standard input
            }
        }
    }
}
