package io.orderflow.sink.lake.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries retriable store failures with exponential backoff and full jitter (a random delay up to
 * base × 2^attempt, capped). Every operation of the sink is idempotent — uploads replace whole objects under
 * deterministic keys — so a retry can never duplicate data.
 */
public final class RetryingObjectStore implements ObjectStore {

    private static final Logger log = LoggerFactory.getLogger(RetryingObjectStore.class);

    private final ObjectStore delegate;
    private final int maxAttempts;
    private final long backoffMs;
    private final long backoffMaxMs;

    public RetryingObjectStore(ObjectStore delegate, int maxAttempts, long backoffMs, long backoffMaxMs) {
        this.delegate = delegate;
        this.maxAttempts = maxAttempts;
        this.backoffMs = backoffMs;
        this.backoffMaxMs = backoffMaxMs;
    }

    @Override
    public void upload(String key, Path file) {
        retry("upload " + key, () -> {
            delegate.upload(key, file);
            return null;
        });
    }

    @Override
    public void put(String key, byte[] content) {
        retry("put " + key, () -> {
            delegate.put(key, content);
            return null;
        });
    }

    @Override
    public Optional<byte[]> get(String key) {
        return retry("get " + key, () -> delegate.get(key));
    }

    @Override
    public List<String> list(String prefix) {
        return retry("list " + prefix, () -> delegate.list(prefix));
    }

    @Override
    public Optional<Path> localPath(String key) {
        return delegate.localPath(key);
    }

    @Override
    public String url(String key) {
        return delegate.url(key);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private <T> T retry(String what, Supplier<T> operation) {
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (StoreException e) {
                if (!e.retriable() || attempt >= maxAttempts) {
                    throw e;
                }
                long cap = Math.min(backoffMaxMs, backoffMs << Math.min(attempt - 1, 30));
                long delay = ThreadLocalRandom.current().nextLong(cap + 1);
                log.warn("Store operation '{}' failed (attempt {} of {}), retrying in {} ms: {}",
                        what, attempt, maxAttempts, delay, e.getMessage());
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
