package io.orderflow.sink.lake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task's local directory survives every sweep while its task runs, in this process or another, and is deleted by the
 * first sweep after its process was killed. The other process is a real JVM, killed with SIGKILL, as a worker is.
 */
class TaskDirectoryTest {

    @TempDir
    Path parent;

    @Test
    void aKilledProcessesDirectoryIsDeletedByTheNextSweepAndALiveOnesIsNot() throws Exception {
        Process other = start("hold");
        try {
            Path held = Path.of(firstLine(other));
            Files.writeString(held.resolve("orders+0+00000000000000000042-1.parquet"), "open file");

            assertEquals(List.of(), TaskDirectory.deleteAbandoned(parent));
            assertTrue(Files.isDirectory(held), "a running task's directory was deleted");

            other.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertEquals(List.of(held), TaskDirectory.deleteAbandoned(parent));
            assertFalse(Files.exists(held));
        } finally {
            other.destroyForcibly();
        }
    }

    /** A sweep in this JVM must not open, and so unlock, this JVM's own lock files; another JVM must find them held. */
    @Test
    void aSweepInTheSameProcessKeepsItsTasksLocksForOthers() throws Exception {
        try (TaskDirectory ours = TaskDirectory.create(parent)) {
            assertEquals(List.of(), TaskDirectory.deleteAbandoned(parent));
            Process sweep = start("sweep");
            assertEquals("[]", firstLine(sweep), "another process deleted the directory of a task running here");
            assertTrue(sweep.waitFor(30, TimeUnit.SECONDS));
            assertTrue(Files.isDirectory(ours.path()));
        }
    }

    @Test
    void closeDeletesTheDirectoryAndWhatIsInIt() throws Exception {
        TaskDirectory directory = TaskDirectory.create(parent);
        Files.createDirectories(directory.path().resolve("orders/date=2026-03-01"));
        Files.writeString(directory.path().resolve("orders/date=2026-03-01/load-1.parquet"), "downloaded");
        directory.close();
        try (var left = Files.list(parent)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void directoriesWithoutALockAreNotTouched() throws Exception {
        Path unlocked = Files.createDirectory(parent.resolve(TaskDirectory.PREFIX + "1234"));
        Files.writeString(unlocked.resolve("file"), "x");
        assertEquals(List.of(), TaskDirectory.deleteAbandoned(parent));
        assertTrue(Files.exists(unlocked.resolve("file")));
    }

    private Process start(String mode) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TaskDirectoryProcess.class.getName(), mode, parent.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String firstLine(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return out.readLine();
    }

    /** The other worker: holds a task directory until killed, or sweeps once and prints what it deleted. */
    public static final class TaskDirectoryProcess {
        public static void main(String[] args) throws Exception {
            Path parent = Path.of(args[1]);
            if (args[0].equals("hold")) {
                TaskDirectory directory = TaskDirectory.create(parent);
                System.out.println(directory.path());
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            } else {
                System.out.println(TaskDirectory.deleteAbandoned(parent));
            }
        }
    }
}
