package io.orderflow.sink.lake.store;

import io.orderflow.sink.lake.config.StoreConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * S3 or an S3-compatible store through AWS SDK v2. Small files go up in one PUT; larger ones as a multipart
 * upload that S3 makes visible only on completion (and that is aborted on failure, leaving nothing behind).
 * Retries are {@link RetryingObjectStore}'s job: the SDK's own are switched off so that one policy rules.
 */
public final class S3ObjectStore implements ObjectStore {

    private final S3Client s3;
    private final String bucket;
    private final int partSize;
    private final String sse;
    private final String kmsKeyId;

    public S3ObjectStore(StoreConfig config) {
        URI url = config.storeUrl();
        this.bucket = url.getHost();
        this.partSize = config.s3PartSize();
        this.sse = config.s3Sse();
        this.kmsKeyId = config.s3SseKmsKeyId();
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.s3Region()))
                .forcePathStyle(config.s3PathStyle())
                .credentialsProvider(credentials(config))
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(c -> c
                        .retryStrategy(b -> b.maxAttempts(1))
                        .apiCallAttemptTimeout(Duration.ofSeconds(60))
                        .apiCallTimeout(Duration.ofSeconds(120)));
        if (!config.s3Endpoint().isEmpty()) {
            builder.endpointOverride(URI.create(config.s3Endpoint()));
        }
        this.s3 = builder.build();
    }

    private static AwsCredentialsProvider credentials(StoreConfig config) {
        String keyId = config.s3AccessKeyId().value();
        if (keyId.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, config.s3SecretAccessKey().value()));
    }

    @Override
    public void upload(String key, Path file) {
        try {
            long size = Files.size(file);
            if (size <= partSize) {
                s3.putObject(encrypted(PutObjectRequest.builder().bucket(bucket).key(key)).build(), RequestBody.fromFile(file));
            } else {
                multipart(key, file, size);
            }
        } catch (IOException e) {
            throw new StoreException("Cannot read local file " + file + " for " + url(key), e, false);
        } catch (SdkException e) {
            throw translate("upload " + url(key), e);
        }
    }

    private void multipart(String key, Path file, long size) throws IOException {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket).key(key);
        if (!sse.isEmpty()) {
            create.serverSideEncryption(ServerSideEncryption.fromValue(sse));
            if (!kmsKeyId.isEmpty()) {
                create.ssekmsKeyId(kmsKeyId);
            }
        }
        String uploadId = s3.createMultipartUpload(create.build()).uploadId();
        try (InputStream in = Files.newInputStream(file)) {
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (long offset = 0; offset < size; offset += partSize, partNumber++) {
                int length = (int) Math.min(partSize, size - offset);
                byte[] chunk = in.readNBytes(length);
                String etag = s3.uploadPart(UploadPartRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength((long) length).build(), RequestBody.fromBytes(chunk)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build());
        } catch (IOException | SdkException e) {
            try {
                s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
            } catch (SdkException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    @Override
    public void put(String key, byte[] content) {
        try {
            s3.putObject(encrypted(PutObjectRequest.builder().bucket(bucket).key(key)).build(), RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw translate("put " + url(key), e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build()).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw translate("get " + url(key), e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        try {
            List<String> keys = new ArrayList<>();
            for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build()).contents()) {
                keys.add(object.key());
            }
            keys.sort(null);
            return keys;
        } catch (SdkException e) {
            throw translate("list " + url(prefix), e);
        }
    }

    @Override
    public String url(String key) {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public void close() {
        s3.close();
    }

    private PutObjectRequest.Builder encrypted(PutObjectRequest.Builder request) {
        if (!sse.isEmpty()) {
            request.serverSideEncryption(ServerSideEncryption.fromValue(sse));
            if (!kmsKeyId.isEmpty()) {
                request.ssekmsKeyId(kmsKeyId);
            }
        }
        return request;
    }

    /** Network failures, throttling and 5xx are outages; 4xx such as 403 or NoSuchBucket are not. */
    private static StoreException translate(String what, SdkException e) {
        if (e instanceof S3Exception s3e) {
            int status = s3e.statusCode();
            boolean retriable = status >= 500 || status == 429 || status == 408;
            String code = s3e.awsErrorDetails() == null ? "" : s3e.awsErrorDetails().errorCode();
            return new StoreException("S3 refused to " + what + ": HTTP " + status + " " + code, e, retriable);
        }
        return new StoreException("Cannot " + what + ": " + e.getMessage(), e, e instanceof SdkClientException || e.retryable());
    }
}
