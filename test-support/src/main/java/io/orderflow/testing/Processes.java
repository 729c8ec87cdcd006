package io.orderflow.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the processes tests and the local stack start (brokers, workers, S3Proxy, the registry). */
public final class Processes {

    private Processes() {
    }

    /**
     * Asks the process to stop (SIGTERM, so it runs its shutdown hooks) and kills it (SIGKILL) if it has not ended
     * within {@code patience}. A worker whose shutdown hangs — a Kafka 4.0.2 worker was seen waiting in its REST
     * server's stop for good — must not hang the test or the stack that stops it.
     */
    public static void stop(Process process, Duration patience) {
        process.destroy();
        try {
            if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
