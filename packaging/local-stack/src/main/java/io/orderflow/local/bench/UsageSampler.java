package io.orderflow.local.bench;

import io.orderflow.testing.PluginMetricsOverJmx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples, once a second, what each stack process costs and one source counter: CPU time from the operating system
 * ({@link ProcessHandle.Info#totalCpuDuration()}, and the whole machine's busy time from {@code /proc/stat}), the
 * worker's heap in use and the source tasks' {@code orders-emitted-total} over JMX.
 */
final class UsageSampler implements AutoCloseable {

    private final Map<String, ProcessHandle> processes;
    private final PluginMetricsOverJmx worker;
    private final String sourceConnector;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** At one instant: CPU seconds per process and of the machine, heap bytes, orders emitted. */
    record Sample(long at, Map<String, Double> cpuSeconds, double machineBusySeconds, long heapBytes, double orders) {
    }

    UsageSampler(Map<String, ProcessHandle> processes, int workerJmxPort, String sourceConnector) throws Exception {
        this.processes = new LinkedHashMap<>(processes);
        this.worker = PluginMetricsOverJmx.remote(workerJmxPort);
        this.sourceConnector = sourceConnector;
        this.thread = new Thread(this::loop, "usage-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        while (running) {
            try {
                Map<String, Double> cpu = new LinkedHashMap<>();
                processes.forEach((name, process) -> cpu.put(name,
                        process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9));
                Double orders = worker.task(sourceConnector, "orders-emitted-total");
                Sample sample = new Sample(System.currentTimeMillis(), cpu, machineBusySeconds(), worker.heapUsedBytes(),
                        orders == null ? Double.NaN : orders);
                synchronized (samples) {
                    samples.add(sample);
                }
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // A sample missed (the source connector between deployments, say); the next one counts.
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** The samples nearest to {@code from} and {@code to}, the window a figure is taken over. */
    Sample[] window(long from, long to) {
        synchronized (samples) {
            Sample first = null;
            Sample last = null;
            for (Sample sample : samples) {
                if (first == null && sample.at() >= from) {
                    first = sample;
                }
                if (sample.at() <= to) {
                    last = sample;
                }
            }
            return new Sample[] {first, last};
        }
    }

    /** The largest heap the worker held in [from, to]. */
    long maxHeapBytes(long from, long to) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.at() >= from && s.at() <= to).mapToLong(Sample::heapBytes).max().orElse(-1);
        }
    }

    /** Cores of CPU the process used over the window (1.0 = one core all the time). */
    static double cores(Sample[] window, String process) {
        return (window[1].cpuSeconds().get(process) - window[0].cpuSeconds().get(process))
                / ((window[1].at() - window[0].at()) / 1000.0);
    }

    static double machineCores(Sample[] window) {
        return (window[1].machineBusySeconds() - window[0].machineBusySeconds()) / ((window[1].at() - window[0].at()) / 1000.0);
    }

    static double ordersPerSecond(Sample[] window) {
        return (window[1].orders() - window[0].orders()) / ((window[1].at() - window[0].at()) / 1000.0);
    }

    /** Busy time of every core since boot: /proc/stat's cpu line less idle and iowait, in seconds (USER_HZ 100). */
    private static double machineBusySeconds() throws java.io.IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < cpu.length && i <= 8; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(cpu[i]);
            }
        }
        return busy / 100.0;
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.interrupt();
        thread.join();
        worker.close();
    }
}
