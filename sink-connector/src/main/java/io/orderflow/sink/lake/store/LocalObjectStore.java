package io.orderflow.sink.lake.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A directory as an object store: same key layout as on S3, and an object appears by an atomic rename of a
 * fully written temporary file, so readers see whole files or nothing.
 */
public final class LocalObjectStore implements ObjectStore {

    private static final String TEMP_SUFFIX = ".orderflow-tmp";

    private final Path root;

    public LocalObjectStore(Path root) {
        this.root = root;
    }

    @Override
    public void upload(String key, Path file) {
        Path target = resolve(key);
        Path temp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            Files.createDirectories(target.getParent());
            Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new StoreException("Cannot write " + url(key) + ": " + e.getMessage(), e, true);
        }
    }

    @Override
    public void put(String key, byte[] content) {
        Path target = resolve(key);
        Path temp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            Files.createDirectories(target.getParent());
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new StoreException("Cannot write " + url(key) + ": " + e.getMessage(), e, true);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(Files.readAllBytes(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("Cannot read " + url(key) + ": " + e.getMessage(), e, true);
        }
    }

    @Override
    public List<String> list(String prefix) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(k -> k.startsWith(prefix) && !k.endsWith(TEMP_SUFFIX))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new StoreException("Cannot list " + url(prefix) + ": " + e.getMessage(), e, true);
        }
    }

    @Override
    public Optional<Path> localPath(String key) {
        Path path = resolve(key);
        return Files.exists(path) ? Optional.of(path) : Optional.empty();
    }

    @Override
    public String url(String key) {
        return resolve(key).toUri().toString();
    }

    @Override
    public void close() {
    }

    private Path resolve(String key) {
        return root.resolve(key);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover temporary file is never listed and is overwritten by no one
        }
    }
}
