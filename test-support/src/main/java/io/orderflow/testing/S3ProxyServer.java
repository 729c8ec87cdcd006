package io.orderflow.testing;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real S3 endpoint over HTTP on 127.0.0.1 (S3Proxy on a filesystem blob store), which a test can stop and
 * start again on the same port with the same contents, to play an outage.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "orderflow-access";
    public static final String SECRET_KEY = "orderflow-secret";

    private final BlobStore blobStore;
    private final int port;
    /** Where the filesystem blob store keeps the objects; deleted by {@link #close()}. */
    private final TempDirectory objects;
    private S3Proxy proxy;

    private S3ProxyServer(BlobStore blobStore, int port, TempDirectory objects) {
        this.blobStore = blobStore;
        this.port = port;
        this.objects = objects;
    }

    public static S3ProxyServer start() throws Exception {
        Properties props = new Properties();
        TempDirectory objects = TempDirectory.create("s3proxy-");
        props.setProperty("jclouds.filesystem.basedir", objects.path().toFile().getCanonicalPath());
        props.setProperty("jclouds.identity", ACCESS_KEY);
        props.setProperty("jclouds.credential", SECRET_KEY);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        S3ProxyServer server = new S3ProxyServer(BlobStores.create("filesystem-nio2", props), port, objects);
        server.startProxy();
        return server;
    }

    public synchronized void startProxy() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .endpoint(URI.create(endpoint()))
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
    }

    public synchronized void stopProxy() throws Exception {
        proxy.stop();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** The connector options that point a lake sink at this endpoint. */
    public Map<String, String> sinkOptions(String bucket, String prefix) {
        return Map.of("store.url", "s3://" + bucket + "/" + prefix, "s3.endpoint", endpoint(),
                "s3.path.style.access", "true", "s3.access.key.id", ACCESS_KEY, "s3.secret.access.key", SECRET_KEY);
    }

    public void createBucket(String bucket) {
        try (S3Client s3 = client()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    /** Every object under a prefix, key → content. */
    public List<Map.Entry<String, byte[]>> objects(String bucket, String prefix) throws IOException {
        List<Map.Entry<String, byte[]>> objects = new ArrayList<>();
        try (S3Client s3 = client()) {
            for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build()).contents()) {
                byte[] content = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(object.key()).build()).asByteArray();
                objects.add(Map.entry(object.key(), content));
            }
        }
        return objects;
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            objects.close();
        }
    }
}
