package io.orderflow.sink.lake.store;

import io.orderflow.sink.lake.config.StoreConfig;

import java.nio.file.Path;

/** Opens the store a configuration names, with retries around it. */
public final class ObjectStores {

    private ObjectStores() {
    }

    public static ObjectStore open(StoreConfig config) {
        ObjectStore store = config.isS3() ? new S3ObjectStore(config) : new LocalObjectStore(Path.of(config.storeUrl()));
        return new RetryingObjectStore(store, config.retryMaxAttempts(), config.retryBackoffMs(), config.retryBackoffMaxMs());
    }

    /** The key prefix inside the bucket or directory: the S3 URL's path, without slashes at either end. */
    public static String prefix(StoreConfig config) {
        if (!config.isS3()) {
            return "";
        }
        String path = config.storeUrl().getPath();
        return path == null ? "" : path.replaceAll("^/+|/+$", "");
    }
}
