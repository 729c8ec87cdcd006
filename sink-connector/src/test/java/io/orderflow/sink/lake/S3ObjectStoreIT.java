package io.orderflow.sink.lake;

import io.orderflow.sink.lake.config.LakeSinkConfig;
import io.orderflow.sink.lake.store.ObjectStore;
import io.orderflow.sink.lake.store.ObjectStores;
import io.orderflow.sink.lake.store.S3ObjectStore;
import io.orderflow.sink.lake.store.StoreException;
import io.orderflow.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The S3 store against S3Proxy over real HTTP: single and multipart uploads, listing, refusals, outages. */
class S3ObjectStoreIT {

    private static S3ProxyServer s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start();
        s3.createBucket("store-it");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    private static LakeSinkConfig config(String bucket, String... props) {
        Map<String, String> config = new HashMap<>(s3.sinkOptions(bucket, "p"));
        config.put("s3.part.size.bytes", Integer.toString(5 * 1024 * 1024));
        for (int i = 0; i < props.length; i += 2) {
            config.put(props[i], props[i + 1]);
        }
        return new LakeSinkConfig(config);
    }

    @Test
    void largeFilesGoUpInPartsAndReadBackWhole() throws Exception {
        byte[] content = new byte[12 * 1024 * 1024 + 123];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("big.parquet");
        Files.write(file, content);
        try (ObjectStore store = new S3ObjectStore(config("store-it").store())) {
            store.upload("p/big.parquet", file);
            store.upload("p/big.parquet", file);
            store.put("p/small.json", "{}".getBytes());
            assertArrayEquals(content, store.get("p/big.parquet").orElseThrow());
            assertEquals(List.of("p/big.parquet", "p/small.json"), store.list("p/"));
            assertFalse(store.get("p/absent").isPresent());
            assertEquals("s3://store-it/p/big.parquet", store.url("p/big.parquet"));
        }
    }

    @Test
    void aMissingBucketIsPermanentAnOutageIsRetriable() throws Exception {
        try (ObjectStore store = ObjectStores.open(config("no-such-bucket").store())) {
            StoreException missing = assertThrows(StoreException.class, () -> store.put("p/x", new byte[1]));
            assertFalse(missing.retriable(), missing.getMessage());
            assertTrue(missing.getMessage().contains("404") || missing.getMessage().contains("NoSuchBucket"), missing.getMessage());
        }
        try (ObjectStore store = ObjectStores.open(config("store-it", "store.retry.max.attempts", "2",
                "store.retry.backoff.ms", "10").store())) {
            s3.stopProxy();
            try {
                StoreException outage = assertThrows(StoreException.class, () -> store.put("p/y", new byte[1]));
                assertTrue(outage.retriable(), outage.getMessage());
            } finally {
                s3.startProxy();
            }
            store.put("p/y", new byte[] {42});
            assertArrayEquals(new byte[] {42}, store.get("p/y").orElseThrow());
        }
    }
}
