package io.orderflow.sink;

import io.orderflow.common.metrics.PluginInstruments;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Records a task hands to the dead letter queue (the errant record reporter). Reports are asynchronous, so a task
 * awaits them before it commits offsets past the records: a record is never both skipped and missing from the DLQ.
 */
public final class DeadLetters {

    private final ErrantRecordReporter reporter;
    private final List<Future<Void>> pending = new ArrayList<>();
    private final PluginInstruments.Counter reported;

    public DeadLetters(SinkTaskContext context, PluginInstruments metrics) {
        this.reporter = TaskContexts.errantRecordReporter(context);
        this.reported = metrics.counter("dlq-records-total", "Records this task sent to the dead letter queue");
    }

    /** Whether bad records can be reported, i.e. the worker gives a reporter (errors.tolerance=all). */
    public boolean available() {
        return reporter != null;
    }

    public void report(SinkRecord record, Throwable error) {
        pending.add(reporter.report(record, error));
        reported.increment();
    }

    /**
     * What waits for the records reported so far, to run later (a lake commit's marker waits for the reports of the
     * records it passes over, on another thread): the reports are handed over, and later ones are not its concern.
     */
    public Runnable pendingReports() {
        if (pending.isEmpty()) {
            return () -> { };
        }
        List<Future<Void>> reports = List.copyOf(pending);
        pending.clear();
        return () -> await(reports);
    }

    /** Waits until every reported record is in the dead letter queue. */
    public void awaitAll() {
        await(pending);
        pending.clear();
    }

    private static void await(List<Future<Void>> reports) {
        for (Future<Void> future : reports) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableException("Interrupted while waiting for the dead letter queue", e);
            } catch (ExecutionException e) {
                throw new ConnectException("Could not send a record to the dead letter queue", e.getCause());
            }
        }
    }
}
