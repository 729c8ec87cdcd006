package io.orderflow.sink.lake.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Retries outlast a short outage; a permanent refusal, or an outage longer than the attempts, reaches the task. */
class RetryingObjectStoreTest {

    @TempDir
    Path lake;

    /** A local store whose first {@code failures} writes fail. */
    private static final class FailingFirst implements ObjectStore {
        private final ObjectStore delegate;
        private final boolean retriable;
        int failures;
        int calls;

        FailingFirst(ObjectStore delegate, int failures, boolean retriable) {
            this.delegate = delegate;
            this.failures = failures;
            this.retriable = retriable;
        }

        @Override
        public void upload(String key, Path file) {
            delegate.upload(key, file);
        }

        @Override
        public void put(String key, byte[] content) {
            calls++;
            if (failures-- > 0) {
                throw new StoreException("store says no", null, retriable);
            }
            delegate.put(key, content);
        }

        @Override
        public Optional<byte[]> get(String key) {
            return delegate.get(key);
        }

        @Override
        public java.util.List<String> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public String url(String key) {
            return delegate.url(key);
        }

        @Override
        public void close() {
        }
    }

    private static final byte[] MARKER = "{}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aShortOutageIsRetriedUntilTheWriteGoesThrough() {
        FailingFirst flaky = new FailingFirst(new LocalObjectStore(lake), 3, true);
        new RetryingObjectStore(flaky, 6, 1, 4).put("m.json", MARKER);
        assertEquals(4, flaky.calls);
        assertArrayEquals(MARKER, new LocalObjectStore(lake).get("m.json").orElseThrow());
    }

    @Test
    void anOutageLongerThanTheAttemptsReachesTheTaskStillRetriable() {
        FailingFirst down = new FailingFirst(new LocalObjectStore(lake), 100, true);
        StoreException e = assertThrows(StoreException.class, () -> new RetryingObjectStore(down, 3, 1, 2).put("m.json", MARKER));
        assertEquals(3, down.calls);
        assertEquals(true, e.retriable(), "the task raises a RetriableException and the worker redelivers");
        assertFalse(new LocalObjectStore(lake).get("m.json").isPresent());
    }

    @Test
    void aRefusalIsNotRetried() {
        FailingFirst refusing = new FailingFirst(new LocalObjectStore(lake), 1, false);
        assertThrows(StoreException.class, () -> new RetryingObjectStore(refusing, 6, 1, 4).put("m.json", MARKER));
        assertEquals(1, refusing.calls);
    }
}
