package io.orderflow.local.bench;

import io.orderflow.local.stack.StackProcesses;

import java.util.HashMap;
import java.util.Map;

/**
 * One run of the whole pipeline at one source rate: the three connectors deployed at once on a fresh topic, a
 * warm-up, a measured window, then the source stopped and the sinks given time to drain. Every figure is taken over
 * the window: source events by the broker's append times, lake rows by when their load became visible, summary
 * records by when the stored offsets passed them.
 */
final class PipelineRun {

    record Result(String format, int targetOrdersPerSecond, double ordersPerSecond, double eventsPerSecond,
                  double lakeRowsPerSecond, double summaryRecordsPerSecond, Latencies raw, long rawMissing,
                  Latencies summary, long summaryMissing, Map<String, Double> cores, double machineCores,
                  long heapMaxBytes, double bytesPerRecord) {
    }

    private final StackProcesses stack;
    private final String bootstrap;
    private final String postgresUrl;
    private final int partitions;
    private final int tasks;
    private final long rotateMs;
    private final int warmupSeconds;
    private final int seconds;

    PipelineRun(StackProcesses stack, String postgresUrl, int partitions, int tasks, long rotateMs, int warmupSeconds,
                int seconds) {
        this.stack = stack;
        this.bootstrap = stack.bootstrapServers();
        this.postgresUrl = postgresUrl;
        this.partitions = partitions;
        this.tasks = tasks;
        this.rotateMs = rotateMs;
        this.warmupSeconds = warmupSeconds;
        this.seconds = seconds;
    }

    Result run(String format, PipelineConnectors connectors, int ordersPerSecond, Map<String, ProcessHandle> processes)
            throws Exception {
        TopicAppends.create(bootstrap, connectors.topic, partitions);
        LakeVisibility lake = new LakeVisibility(postgresUrl, connectors.lakePrefix,
                stack.bucketDirectory(StackProcesses.LAKE_BUCKET));
        SummaryVisibility summary = new SummaryVisibility(postgresUrl, connectors.summary);
        lake.start();
        summary.start();
        long from;
        long to;
        UsageSampler.Sample[] usage;
        long heap;
        try (UsageSampler sampler = new UsageSampler(processes, stack.jmxPort, connectors.source)) {
            connectors.deployLake(tasks, rotateMs);
            connectors.deploySummary(tasks);
            connectors.deploySource(tasks, ordersPerSecond);
            Thread.sleep(warmupSeconds * 1000L);
            from = System.currentTimeMillis();
            Thread.sleep(seconds * 1000L);
            to = System.currentTimeMillis();
            Thread.sleep(1_500);
            usage = sampler.window(from, to);
            heap = sampler.maxHeapBytes(from, to);
        }
        connectors.delete(connectors.source);
        drain(lake);
        lake.close();
        summary.close();
        connectors.deleteAll();

        TopicAppends appends = TopicAppends.read(bootstrap, connectors.topic);
        double window = (to - from) / 1000.0;
        long[] summaryMissing = {0};
        Latencies summaryLatencies = summary.latencies(appends, from, to, summaryMissing);
        Latencies rawLatencies = lake.latencies(from, to);
        long appended = appends.appendedBetween(from, to);
        Map<String, Double> cores = new HashMap<>();
        processes.keySet().forEach(name -> cores.put(name, UsageSampler.cores(usage, name)));
        return new Result(format, ordersPerSecond, UsageSampler.ordersPerSecond(usage), appended / window,
                lake.rowsVisibleBetween(from, to) / window,
                summary.recordsCoveredBetween(appends, partitions, from, to) / window,
                rawLatencies, appended - rawLatencies.count(), summaryLatencies, summaryMissing[0], cores,
                UsageSampler.machineCores(usage), heap, appends.bytesPerRecord());
    }

    /** Waits, up to a minute, until the lake has made nothing new visible for three rotation intervals. */
    private void drain(LakeVisibility lake) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        long quietSince = System.currentTimeMillis();
        long rows = -1;
        while (System.currentTimeMillis() < deadline && System.currentTimeMillis() - quietSince < 3 * rotateMs + 2_000) {
            long now = lake.rowsVisibleBetween(0, Long.MAX_VALUE);
            if (now != rows) {
                rows = now;
                quietSince = System.currentTimeMillis();
            }
            Thread.sleep(250);
        }
    }
}
