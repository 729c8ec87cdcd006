package io.orderflow.sink;

import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** What a sink task asks of its context that older workers lack: they answer with null instead of failing. */
public final class TaskContexts {

    private TaskContexts() {
    }

    /** The dead letter queue reporter (KIP-610), or null on a worker older than Kafka 2.6. */
    public static ErrantRecordReporter errantRecordReporter(SinkTaskContext context) {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null;
        }
    }
}
