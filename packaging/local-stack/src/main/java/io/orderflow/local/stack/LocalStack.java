package io.orderflow.local.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderflow.testing.CommittedTopicReader;
import io.orderflow.testing.SchemaRegistryServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The README's first command: the whole pipeline on this machine as separate processes — a KRaft broker, S3Proxy
 * and a Connect worker with the freshly built archive on its plugin path — with the shipped connector configs
 * validated and deployed through {@code connector-configs/deploy.sh}, the lake on S3Proxy and DuckDB as the
 * warehouse. It shows a live view until Ctrl-C, then stops everything it started.
 *
 * <pre>
 * --orders N      a bounded run: N orders, then the raw table and the summary are checked and the exit code says
 *                 whether they hold every event exactly once and the summary the raw table's minutes
 * --rate R        orders per second per source task (default: the config file's, 50)
 * --rest-port P   the worker's REST port (default 8083)
 * --prometheus P  also start the worker with the Prometheus JMX exporter on port P, the broker with it on P + 1
 *                 (packaging/monitoring's jmx-exporter.yml and jmx-exporter-broker.yml)
 * --avro          Avro values through a real schema registry: starts Apicurio Registry 3.0.9 as a process and deploys
 *                 connector-configs/avro/ instead of the JSON configs
 * </pre>
 */
public final class LocalStack {

    private static final String TOPIC = "orders.events";

    private final Path root;
    private final Long orders;
    private final String rate;
    private final int restPort;
    private final Integer prometheusPort;
    private final boolean avro;
    /** Started by {@link #start} with --avro, as one of the stack's processes. */
    private SchemaRegistryServer registry;

    private LocalStack(Path root, Long orders, String rate, int restPort, Integer prometheusPort, boolean avro) {
        this.root = root;
        this.orders = orders;
        this.rate = rate;
        this.restPort = restPort;
        this.prometheusPort = prometheusPort;
        this.avro = avro;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs the stack; returns the process exit code (0: ran, or a bounded run held; 1: it did not). */
    public static int run(String[] given) throws Exception {
        // Maven passes -Dorderflow.args as one argument, possibly empty.
        String[] args = String.join(" ", given).strip().isEmpty() ? new String[0] : String.join(" ", given).strip().split("\\s+");
        Long orders = null;
        String rate = null;
        int restPort = 8083;
        Integer prometheus = null;
        boolean avro = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--orders" -> orders = Long.parseLong(args[++i]);
                case "--rate" -> rate = args[++i];
                case "--rest-port" -> restPort = Integer.parseInt(args[++i]);
                case "--prometheus" -> prometheus = Integer.parseInt(args[++i]);
                case "--avro" -> avro = true;
                default -> {
                    System.err.println("unknown option " + args[i] + "; options: --orders N --rate R --rest-port P --prometheus P --avro");
                    return 2;
                }
            }
        }
        return new LocalStack(StackProcesses.projectRoot(), orders, rate, restPort, prometheus, avro).start();
    }

    private int start() throws Exception {
        Path archive = StackProcesses.archive(root);
        Path run = root.resolve("packaging/local-stack/target/run-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        System.out.println("orderflow local stack: run directory " + run);
        List<String> workerOptions = new ArrayList<>();
        List<String> brokerOptions = new ArrayList<>();
        if (prometheusPort != null) {
            workerOptions.add(StackProcesses.prometheusExporter(prometheusPort, root.resolve("packaging/monitoring/jmx-exporter.yml")));
            brokerOptions.add(StackProcesses.prometheusExporter(prometheusPort + 1,
                    root.resolve("packaging/monitoring/jmx-exporter-broker.yml")));
        }
        StackProcesses stack = new StackProcesses(root, Files.createDirectories(run), restPort, workerOptions);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread shutdown = new Thread(() -> {
            System.out.println("\nstopping the worker, S3Proxy and the broker ...");
            stack.close();
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(shutdown);
        try {
            System.out.println("starting a KRaft broker, S3Proxy and a Connect worker (logs in " + stack.logs() + ") ...");
            stack.startBroker(brokerOptions);
            stack.startS3();
            if (avro) {
                registry = stack.startRegistry();
                System.out.println("schema registry (Apicurio Registry 3.0.9) on " + registry.apicurioUrl());
            }
            stack.startWorker(archive);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 4, (short) 1))).all().get();
                WarehouseView warehouse = new WarehouseView(run.resolve("warehouse.duckdb"), run.resolve("view"));
                if (deploy(stack, admin, run, warehouse.database()) != 0) {
                    return 1;
                }
                System.out.println("deployed; REST API on " + stack.rest() + (prometheusPort == null ? ""
                        : ", Prometheus metrics on http://127.0.0.1:" + prometheusPort + "/metrics (worker) and http://127.0.0.1:"
                        + (prometheusPort + 1) + "/metrics (broker)"));
                LiveView view = new LiveView(stack, admin, warehouse);
                return orders == null ? live(view, warehouse, stack) : bounded(view, warehouse, stack);
            }
        } finally {
            if (stopped.getCount() > 0) {
                Runtime.getRuntime().removeShutdownHook(shutdown);
                stack.close();
            }
        }
    }

    private static int live(LiveView view, WarehouseView warehouse, StackProcesses stack) throws InterruptedException {
        while (stack.allAlive()) {
            System.out.print(view.render(warehouse.snapshot()));
            System.out.flush();
            Thread.sleep(1_000);
        }
        System.err.println("a stack process exited; see " + stack.logs());
        return 1;
    }

    /**
     * Runs until the source has written every order and both sinks have caught up, then stops the worker and checks
     * the warehouse itself: every event of the topic once in the raw table, the summary equal to the raw table's.
     */
    private int bounded(LiveView view, WarehouseView warehouse, StackProcesses stack) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long previousEvents = -1;
        long events = 0;
        while (System.nanoTime() < deadline) {
            WarehouseView.Snapshot rows = warehouse.snapshot();
            System.out.print(view.render(rows));
            events = committedEvents(stack);
            boolean settled = events > 0 && events == previousEvents && rows.rawRows() == events
                    && rows.summaryMismatches() == 0;
            if (settled || !LiveView.failedTasks(stack.rest()).isEmpty()) {
                break;
            }
            previousEvents = events;
            Thread.sleep(2_000);
        }
        List<String> failed = LiveView.failedTasks(stack.rest());
        stack.close();
        WarehouseView.Snapshot result = warehouse.exact();
        boolean holds = failed.isEmpty() && events > 0 && result.rawRows() == events && result.distinctEvents() == events
                && result.summaryMismatches() == 0 && !result.newest().isEmpty();
        System.out.printf("%nresult: %d orders, %d events in %s; %d rows in %s (%d distinct events); %d summary minutes "
                        + "differ from the raw table; failed connectors: %s%n%s%n", orders, events, TOPIC, result.rawRows(),
                WarehouseView.RAW, result.distinctEvents(), result.summaryMismatches(), failed,
                holds ? "OK: every event exactly once, the summary equal to the raw table" : "MISMATCH");
        return holds ? 0 : 1;
    }

    /**
     * Writes the shipped configs, adapted to this stack, into the run directory, creates the sinks' dead letter topics
     * as README's Operations says (timestamped on append), and deploys the configs with deploy.sh.
     */
    private int deploy(StackProcesses stack, Admin admin, Path run, Path duckdb) throws Exception {
        Path configs = registry == null ? root.resolve("connector-configs") : root.resolve("connector-configs/avro");
        Path adapted = Files.createDirectories(run.resolve("connectors"));
        Map<String, Map<String, String>> overrides = Map.of(
                "order-source.json", orders == null ? (rate == null ? Map.of() : Map.of("orders.per.second", rate))
                        : rate == null ? Map.of("max.orders", Long.toString(orders))
                        : Map.of("max.orders", Long.toString(orders), "orders.per.second", rate),
                "order-lake.json", lakeOverrides(stack, duckdb),
                "order-summary.json", Map.of("duckdb.path", duckdb.toString()));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("connector-configs/deploy.sh").toString()));
        List<NewTopic> deadLetterTopics = new ArrayList<>();
        for (String file : List.of("order-source.json", "order-lake.json", "order-summary.json")) {
            ObjectNode config = (ObjectNode) json.readTree(configs.resolve(file).toFile());
            if (config.hasNonNull("errors.deadletterqueue.topic.name")) {
                deadLetterTopics.add(new NewTopic(config.get("errors.deadletterqueue.topic.name").asText(), 1, (short) 1)
                        .configs(Map.of("message.timestamp.type", "LogAppendTime")));
            }
            overrides.get(file).forEach(config::put);
            if (registry != null) {
                config.put("value.converter.apicurio.registry.url", registry.apicurioUrl());
            }
            json.writeValue(adapted.resolve(file).toFile(), config);
            command.add(adapted.resolve(file).toString());
        }
        admin.createTopics(deadLetterTopics).all().get();
        ProcessBuilder deploy = new ProcessBuilder(command).inheritIO();
        deploy.environment().put("CONNECT_URL", stack.rest().toString());
        return deploy.start().waitFor();
    }

    private static Map<String, String> lakeOverrides(StackProcesses stack, Path duckdb) {
        Map<String, String> lake = new HashMap<>(stack.lakeStoreOptions());
        lake.put("store.url", "s3://" + StackProcesses.LAKE_BUCKET + "/orders");
        lake.put("duckdb.path", duckdb.toString());
        lake.put("rotate.schedule.interval.ms", "2000");
        return lake;
    }

    /** Data records in the topic as a read_committed consumer sees them (aborted transactions excluded). */
    private static long committedEvents(StackProcesses stack) {
        return CommittedTopicReader.count(stack.bootstrapServers(), TOPIC);
    }
}
