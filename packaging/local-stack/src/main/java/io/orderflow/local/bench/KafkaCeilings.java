package io.orderflow.local.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.tools.ConsumerPerformance;
import org.apache.kafka.tools.ProducerPerformance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's own ceiling for a figure of the pipeline: Kafka's {@code ProducerPerformance} and
 * {@code ConsumerPerformance}, run in this JVM against the same broker with records of the same size, into a topic
 * with the same partitions, while the worker is idle. What they print is parsed, as a user would read it.
 */
record KafkaCeilings(double producerRecordsPerSecond, double consumerRecordsPerSecond) {

    private static final Pattern PRODUCER = Pattern.compile("records sent, ([0-9.]+) records/sec");

    static KafkaCeilings measure(String bootstrap, String topic, int partitions, long records, int recordSize)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        String produced = captured(() -> ProducerPerformance.main(new String[] {"--topic", topic, "--num-records",
                Long.toString(records), "--record-size", Integer.toString(recordSize), "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all"}));
        Matcher producer = PRODUCER.matcher(produced);
        double producerRate = Double.NaN;
        while (producer.find()) {
            producerRate = Double.parseDouble(producer.group(1));
        }
        String consumed = captured(() -> ConsumerPerformance.main(new String[] {"--bootstrap-server", bootstrap,
                "--topic", topic, "--num-records", Long.toString(records), "--hide-header", "--timeout", "60000",
                "--command-property", "isolation.level=read_committed"}));
        return new KafkaCeilings(producerRate, fetchRecordsPerSecond(consumed));
    }

    /** ConsumerPerformance's last column, fetch.nMsg.sec: records/s while fetching, its group join left out. */
    private static double fetchRecordsPerSecond(String output) {
        String[] lines = output.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String[] columns = lines[i].split(",\\s*");
            if (columns.length >= 10) {
                return Double.parseDouble(columns[9].strip());
            }
        }
        throw new IllegalStateException("ConsumerPerformance printed no result: " + output);
    }

    interface Tool {
        void run() throws Exception;
    }

    /** Runs a tool with its standard output captured (and still shown), and returns what it printed. */
    private static String captured(Tool tool) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (PrintStream tee = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                copy.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                copy.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            tool.run();
        } finally {
            System.setOut(original);
        }
        return copy.toString(StandardCharsets.UTF_8);
    }
}
