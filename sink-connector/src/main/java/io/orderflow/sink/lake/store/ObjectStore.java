package io.orderflow.sink.lake.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A bucket of objects addressed by key. An uploaded object becomes visible only once complete, so a reader
 * never sees half a file, and writing an existing key replaces it whole.
 */
public interface ObjectStore extends AutoCloseable {

    /** Uploads a local file under {@code key}. */
    void upload(String key, Path file);

    void put(String key, byte[] content);

    Optional<byte[]> get(String key);

    /** Keys under a prefix, sorted. */
    List<String> list(String prefix);

    /** The object as a file on this machine, when the store keeps it as one (the local store). */
    default Optional<Path> localPath(String key) {
        return Optional.empty();
    }

    /** A URL naming the object, for logs and warehouse loads (s3://bucket/key or file:///path). */
    String url(String key);

    @Override
    void close();
}
