package io.orderflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;

/**
 * Consumer lag of every sink connector of a Connect cluster, per consumer group and partition: the group's committed
 * offset, the partition's end offset (the last stable offset for a read_committed connector, which never sees
 * records of open transactions), and the difference; and the partition's log start, which retention moves on, with
 * the records it has deleted before the group read them. That count is what a stopped or paused sink will have lost
 * when it resumes (its consumer then resets to the log start), and no worker metric shows it: a stopped sink has no
 * consumer, a paused one fetches nothing.
 *
 * <pre>
 * mvn -q -pl packaging/local-stack exec:exec@lag-report -Dconnect.url=http://127.0.0.1:8083 -Dbootstrap.servers=127.0.0.1:9092
 * </pre>
 */
public final class LagReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One client for every report: the live view asks for one each second. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One partition of one sink connector's group; {@code committed} is -1 where the group has committed nothing. */
    public record Row(String connector, String group, TopicPartition partition, long committed, long logStart, long end) {
        public long lag() {
            return committed < 0 ? end - logStart : Math.max(0, end - Math.max(committed, logStart));
        }

        /**
         * Records between the committed offset and the log start: deleted before the group read them. A group that has
         * committed nothing starts at the log start and misses nothing.
         */
        public long deletedUnread() {
            return committed < 0 ? 0 : Math.max(0, logStart - committed);
        }
    }

    private LagReport() {
    }

    public static void main(String[] args) throws Exception {
        URI connect = URI.create(System.getProperty("connect.url", "http://127.0.0.1:8083"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                System.getProperty("bootstrap.servers", "127.0.0.1:9092")))) {
            System.out.print(table(collect(connect, admin)));
        }
    }

    public static List<Row> collect(URI connect, Admin admin) throws IOException, InterruptedException, ExecutionException {
        List<Row> rows = new ArrayList<>();
        JsonNode connectors = JSON.readTree(get(connect.resolve("/connectors?expand=info")));
        for (Iterator<Map.Entry<String, JsonNode>> it = connectors.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> connector = it.next();
            JsonNode info = connector.getValue().path("info");
            if (!"sink".equals(info.path("type").asText())) {
                continue;
            }
            JsonNode config = info.path("config");
            String group = config.path("consumer.override.group.id").asText("connect-" + connector.getKey());
            boolean readCommitted = "read_committed".equals(config.path("consumer.override.isolation.level").asText());
            rows.addAll(rowsOf(admin, connector.getKey(), group, topics(config), readCommitted));
        }
        rows.sort(Comparator.comparing(Row::connector).thenComparing(r -> r.partition().topic())
                .thenComparingInt(r -> r.partition().partition()));
        return rows;
    }

    private static List<Row> rowsOf(Admin admin, String connector, String group, List<String> topics, boolean readCommitted)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        TreeSet<String> topicNames = new TreeSet<>(topics);
        committed.keySet().forEach(tp -> topicNames.add(tp.topic()));
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicDescription topic : admin.describeTopics(topicNames).allTopicNames().get().values()) {
            topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = offsets(admin, partitions, OffsetSpec.latest(),
                readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = offsets(admin, partitions, OffsetSpec.earliest(),
                IsolationLevel.READ_UNCOMMITTED);
        List<Row> rows = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = committed.get(tp);
            rows.add(new Row(connector, group, tp, offset == null ? -1 : offset.offset(), starts.get(tp).offset(),
                    ends.get(tp).offset()));
        }
        return rows;
    }

    private static Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets(Admin admin,
            List<TopicPartition> partitions, OffsetSpec spec, IsolationLevel isolation) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(tp -> specs.put(tp, spec));
        return admin.listOffsets(specs, new ListOffsetsOptions(isolation)).all().get();
    }

    /** The topics a sink connector's config names ({@code topics.regex} connectors show what their group committed). */
    private static List<String> topics(JsonNode config) {
        String topics = config.path("topics").asText("");
        return topics.isBlank() ? List.of() : Arrays.stream(topics.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
    }

    public static String table(List<Row> rows) {
        String format = "%-24s %-28s %-28s %9s %12s %12s %12s %10s %14s%n";
        StringBuilder out = new StringBuilder(String.format(format,
                "connector", "group", "topic", "partition", "log start", "committed", "end", "lag", "deleted unread"));
        long lag = 0;
        long deletedUnread = 0;
        for (Row row : rows) {
            out.append(String.format(format, row.connector(), row.group(), row.partition().topic(), row.partition().partition(),
                    row.logStart(), row.committed() < 0 ? "-" : Long.toString(row.committed()), row.end(), row.lag(),
                    row.deletedUnread()));
            lag += row.lag();
            deletedUnread += row.deletedUnread();
        }
        out.append(String.format(format, "total", "", "", "", "", "", "", lag, deletedUnread));
        return out.toString();
    }

    private static String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
