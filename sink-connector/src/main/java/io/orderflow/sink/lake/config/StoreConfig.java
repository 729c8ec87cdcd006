package io.orderflow.sink.lake.config;

import io.orderflow.common.config.Choices;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Where files go: an S3 bucket (AWS or S3-compatible) or a local directory, and how failures are retried. */
public final class StoreConfig {

    static final String GROUP = "Store";

    static final String STORE_URL = "store.url";
    static final String S3_REGION = "s3.region";
    static final String S3_ENDPOINT = "s3.endpoint";
    static final String S3_PATH_STYLE = "s3.path.style.access";
    static final String S3_ACCESS_KEY_ID = "s3.access.key.id";
    static final String S3_SECRET_ACCESS_KEY = "s3.secret.access.key";
    static final String S3_SSE = "s3.sse";
    static final String S3_SSE_KMS_KEY_ID = "s3.sse.kms.key.id";
    static final String S3_PART_SIZE = "s3.part.size.bytes";
    static final String RETRY_MAX_ATTEMPTS = "store.retry.max.attempts";
    static final String RETRY_BACKOFF_MS = "store.retry.backoff.ms";
    static final String RETRY_BACKOFF_MAX_MS = "store.retry.backoff.max.ms";

    private static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    private final AbstractConfig config;

    StoreConfig(AbstractConfig config) {
        this.config = config;
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(STORE_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new StoreUrlValidator(), Importance.HIGH,
                        "Where the files go: s3://bucket/prefix or file:///absolute/dir (the local default).",
                        GROUP, ++order, Width.LONG, "Store URL")
                .define(S3_REGION, Type.STRING, "us-east-1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "AWS region of the bucket.", GROUP, ++order, Width.SHORT, "S3 region")
                .define(S3_ENDPOINT, Type.STRING, "", Importance.MEDIUM,
                        "Endpoint of an S3-compatible store (e.g. http://minio:9000); empty for AWS.",
                        GROUP, ++order, Width.LONG, "S3 endpoint override")
                .define(S3_PATH_STYLE, Type.BOOLEAN, false, Importance.LOW,
                        "Path-style requests (http://host/bucket/key), needed by most S3-compatible stores.",
                        GROUP, ++order, Width.SHORT, "Path-style access")
                .define(S3_ACCESS_KEY_ID, Type.PASSWORD, "", Importance.MEDIUM,
                        "Static access key id; empty uses the AWS default credentials chain (environment, profile, "
                                + "instance role).", GROUP, ++order, Width.MEDIUM, "Access key id")
                .define(S3_SECRET_ACCESS_KEY, Type.PASSWORD, "", Importance.MEDIUM,
                        "Static secret access key, with " + S3_ACCESS_KEY_ID + ".", GROUP, ++order, Width.MEDIUM,
                        "Secret access key")
                .define(S3_SSE, Type.STRING, "none", Choices.of("none", "AES256", "aws:kms"),
                        Importance.LOW, "Server-side encryption: none, AES256 (SSE-S3) or aws:kms (SSE-KMS).",
                        GROUP, ++order, Width.SHORT, "Server-side encryption")
                .define(S3_SSE_KMS_KEY_ID, Type.STRING, "", Importance.LOW,
                        "KMS key for aws:kms; empty uses the bucket's default key.", GROUP, ++order, Width.MEDIUM,
                        "KMS key id")
                .define(S3_PART_SIZE, Type.INT, 16 * 1024 * 1024, Range.atLeast(MIN_PART_SIZE), Importance.LOW,
                        "Files larger than this are uploaded in parts of this size (multipart upload); at least 5 MiB.",
                        GROUP, ++order, Width.SHORT, "Multipart part size")
                .define(RETRY_MAX_ATTEMPTS, Type.INT, 6, Range.between(1, 100), Importance.LOW,
                        "Attempts per store operation within one put() before the task reports a retriable error "
                                + "(the worker then redelivers the batch: an outage costs time, never data).",
                        GROUP, ++order, Width.SHORT, "Retry attempts")
                .define(RETRY_BACKOFF_MS, Type.LONG, 200L, Range.atLeast(1), Importance.LOW,
                        "First retry delay; doubled per attempt, with full jitter.", GROUP, ++order, Width.SHORT,
                        "Retry backoff (ms)")
                .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 5_000L, Range.atLeast(1), Importance.LOW,
                        "Longest retry delay.", GROUP, ++order, Width.SHORT, "Max retry backoff (ms)");
    }

    public URI storeUrl() {
        return URI.create(config.getString(STORE_URL));
    }

    public boolean isS3() {
        return "s3".equals(storeUrl().getScheme());
    }

    public String s3Region() {
        return config.getString(S3_REGION);
    }

    public String s3Endpoint() {
        return config.getString(S3_ENDPOINT);
    }

    public boolean s3PathStyle() {
        return config.getBoolean(S3_PATH_STYLE);
    }

    public Password s3AccessKeyId() {
        return config.getPassword(S3_ACCESS_KEY_ID);
    }

    public Password s3SecretAccessKey() {
        return config.getPassword(S3_SECRET_ACCESS_KEY);
    }

    public String s3Sse() {
        return config.getString(S3_SSE).toLowerCase(Locale.ROOT).equals("none") ? "" : config.getString(S3_SSE);
    }

    public String s3SseKmsKeyId() {
        return config.getString(S3_SSE_KMS_KEY_ID);
    }

    public int s3PartSize() {
        return config.getInt(S3_PART_SIZE);
    }

    public int retryMaxAttempts() {
        return config.getInt(RETRY_MAX_ATTEMPTS);
    }

    public long retryBackoffMs() {
        return config.getLong(RETRY_BACKOFF_MS);
    }

    public long retryBackoffMaxMs() {
        return config.getLong(RETRY_BACKOFF_MAX_MS);
    }

    private static final class StoreUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            URI uri;
            try {
                uri = new URI((String) value);
            } catch (URISyntaxException e) {
                throw new ConfigException(name, value, "not a URL: " + e.getMessage());
            }
            if ("s3".equals(uri.getScheme())) {
                String bucket = uri.getHost();
                if (bucket == null || bucket.length() < 3 || !bucket.matches("[a-z0-9][a-z0-9.-]+[a-z0-9]")) {
                    throw new ConfigException(name, value, "s3:// URLs need a valid bucket name (3-63 lowercase "
                            + "letters, digits, dots, hyphens): s3://bucket/prefix");
                }
            } else if ("file".equals(uri.getScheme())) {
                if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
                    throw new ConfigException(name, value, "file:// URLs need an absolute path: file:///data/lake");
                }
            } else {
                throw new ConfigException(name, value, "must start with s3:// or file://");
            }
        }

        @Override
        public String toString() {
            return "s3://bucket/prefix or file:///absolute/dir";
        }
    }
}
