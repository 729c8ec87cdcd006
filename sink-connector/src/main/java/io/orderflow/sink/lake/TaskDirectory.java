package io.orderflow.sink.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A lake task's own local directory, for its open Parquet files and the files it downloads to load, under the
 * configured parent ({@code local.dir}). The task holds a lock on a file in it for as long as it runs; the operating
 * system drops that lock when the process ends, however it ends. So a task that starts can tell the directories of
 * tasks that ended without {@code stop()} (a killed or crashed worker) from those of tasks still running, on any
 * worker sharing the parent, and delete them: nothing in them is needed, as a replacement task replays from its
 * partition's last commit marker.
 */
final class TaskDirectory implements AutoCloseable {

    static final String PREFIX = "orderflow-lake-";
    private static final String STAGING = ".new-";
    private static final String LOCK = ".lock";

    /**
     * The directories tasks of this JVM hold. Closing any channel to a file drops every lock this process holds on it
     * (POSIX record locks), so the sweep must not even open the lock of a directory that is ours.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    /**
     * Lock files found locked by this JVM but not in {@link #HELD}: a task of another copy of the plugin holds them
     * (a second installation on the worker's plugin.path). Their channels stay open, as closing one would drop that lock.
     */
    private static final Map<Path, FileChannel> HELD_BY_ANOTHER_COPY = new ConcurrentHashMap<>();

    private final Path path;
    private final FileChannel lockChannel;

    private TaskDirectory(Path path, FileChannel lockChannel) {
        this.path = path;
        this.lockChannel = lockChannel;
    }

    /**
     * Creates and locks a new directory under {@code parent}. It is locked before it gets its final name, so a sweep
     * on another worker never sees it unlocked.
     */
    static TaskDirectory create(Path parent) throws IOException {
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, STAGING + PREFIX);
        FileChannel channel = FileChannel.open(staging.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            channel.lock();
            Path path = parent.resolve(staging.getFileName().toString().substring(STAGING.length()));
            HELD.add(path);
            Files.move(staging, path, StandardCopyOption.ATOMIC_MOVE);
            return new TaskDirectory(path, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            deleteTree(staging);
            throw e;
        }
    }

    /**
     * Deletes the task directories under {@code parent} whose lock no process holds, and returns them. Directories
     * without a lock file are left alone: a task is still creating one, or it is not a task directory.
     */
    static List<Path> deleteAbandoned(Path parent) throws IOException {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return deleted;
        }
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path candidate : candidates) {
                if (!HELD.contains(candidate) && !HELD_BY_ANOTHER_COPY.containsKey(candidate) && Files.isDirectory(candidate)
                        && deleteIfAbandoned(candidate)) {
                    deleted.add(candidate);
                }
            }
        }
        return deleted;
    }

    private static boolean deleteIfAbandoned(Path candidate) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(candidate.resolve(LOCK), StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return false;
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            HELD_BY_ANOTHER_COPY.put(candidate, channel);
            return false;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        try (channel) {
            if (lock == null) {
                return false;   // its task runs in another process
            }
            deleteTree(candidate);
            return true;
        }
    }

    Path path() {
        return path;
    }

    /** Deletes the directory and what is in it; the lock goes last, with the channel. */
    @Override
    public void close() throws IOException {
        try (lockChannel) {
            deleteTree(path);
        } finally {
            HELD.remove(path);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // deleted meanwhile by a sweep on another worker
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e.getCause();
            }
        }
    }
}
