package io.orderflow.local.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU time of one task's threads in this JVM, where the benchmark's embedded worker runs: the worker's task
 * thread ({@code task-thread-<connector>-<task>}) and the threads the task started, which the lake names after it
 * ({@code ...-lake-encoding}, {@code ...-lake-commits}). Counting CPU per thread, not wall time, is what says how
 * fast each thread could go with a core of its own, which a 2-core machine shared with the broker cannot show.
 */
final class TaskThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Thread id by role: "task" for the task thread, else the name's last part after the task's, e.g. "lake-encoding". */
    private final Map<String, Long> idsByRole;

    private TaskThreadCpu(Map<String, Long> idsByRole) {
        this.idsByRole = idsByRole;
    }

    /** The threads of task 0 of the connector, as they are now: call it once the task has started its threads. */
    static TaskThreadCpu of(String connector) {
        String taskThread = "task-thread-" + connector + "-0";
        Map<String, Long> ids = new LinkedHashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.equals(taskThread)) {
                ids.put("task", thread.getId());
            } else if (name.startsWith(taskThread + "-")) {
                // The lake's own threads: the task thread's name, a counter, then what the thread does.
                ids.put(name.substring(name.indexOf('-', taskThread.length() + 1) + 1), thread.getId());
            }
        }
        if (!ids.containsKey("task")) {
            throw new IllegalStateException("No thread " + taskThread + " in this JVM");
        }
        return new TaskThreadCpu(ids);
    }

    /** CPU nanoseconds used so far by each thread, by role (-1 for a thread that has ended). */
    Map<String, Long> nanos() {
        Map<String, Long> nanos = new LinkedHashMap<>();
        idsByRole.forEach((role, id) -> nanos.put(role, THREADS.getThreadCpuTime(id)));
        return nanos;
    }

    /** Microseconds of CPU per record for each thread between two readings of {@link #nanos()}. */
    static Map<String, Double> microsPerRecord(Map<String, Long> from, Map<String, Long> to, long records) {
        Map<String, Double> micros = new LinkedHashMap<>();
        from.forEach((role, start) -> micros.put(role, (to.get(role) - start) / 1e3 / records));
        return micros;
    }
}
