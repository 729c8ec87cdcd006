package io.orderflow.source;

import io.orderflow.common.Version;
import io.orderflow.common.metrics.PluginInstruments;
import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.event.AmountType;
import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.source.generator.GeneratorSettings;
import io.orderflow.source.generator.OrderEventStream;
import io.orderflow.source.generator.Pacer;
import io.orderflow.source.generator.ScheduledEvent;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Emits one generator stream; see {@link GeneratorOffsets} for how it resumes. */
public class OrderSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(OrderSourceTask.class);

    /** Longest a poll waits for the pacer or idles once finished, so stop() and the worker stay responsive. */
    private static final long MAX_WAIT_MS = 200;

    private final CountDownLatch stopping = new CountDownLatch(1);

    private String topic;
    private AmountType amountType;
    private Schema valueSchema;
    private int batchMaxRecords;
    private Map<String, Object> sourcePartition;
    private long startMs;
    private OrderEventStream stream;
    private Pacer pacer;
    private long emitted;
    private boolean finishReported;
    private PluginInstruments.Counter eventsEmitted;
    private PluginInstruments.Timer eventsRate;
    private PluginInstruments.Counter ordersEmitted;
    /** Read by the metrics reporter's thread. */
    private volatile long newestEventMs = Long.MIN_VALUE;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        OrderSourceTaskConfig config = new OrderSourceTaskConfig(props);
        topic = config.output().topic();
        amountType = config.output().amountType();
        valueSchema = OrderEventSchema.valueSchema(amountType);
        batchMaxRecords = config.output().batchMaxRecords();
        pacer = new Pacer(config.generator().ordersPerSecond(), System::nanoTime);
        PluginInstruments metrics = PluginInstruments.forTask(context);
        eventsEmitted = metrics.counter("events-emitted-total", "Order events this task returned to the worker");
        eventsRate = metrics.rate("events-emitted-rate", "Order events this task returned per second");
        ordersEmitted = metrics.counter("orders-emitted-total", "Orders this task started (their first event)");
        metrics.gauge("event-time-lag-ms", "Wall clock minus the event time of the newest event emitted "
                + "(-1 before the first)", () -> newestEventMs == Long.MIN_VALUE ? -1 : System.currentTimeMillis() - newestEventMs);

        GeneratorSettings fresh = config.freshGeneratorSettings();
        sourcePartition = GeneratorOffsets.partition(fresh);
        Map<String, Object> storedOffset = context.offsetStorageReader().offset(sourcePartition);
        if (storedOffset == null) {
            startMs = fresh.startMs();
            stream = OrderEventStream.fromStart(fresh);
            log.info("Starting generator stream {} from its first order, event time from {}",
                    sourcePartition, Instant.ofEpochMilli(startMs));
        } else {
            GeneratorOffsets.Stored stored = GeneratorOffsets.decode(storedOffset);
            startMs = stored.startMs();
            stream = OrderEventStream.resumeAfter(config.generatorSettings(startMs), stored.last());
            log.info("Resuming generator stream {} after {}", sourcePartition, stored.last());
        }
    }

    @Override
    public List<SourceRecord> poll() {
        if (!stream.hasNext()) {
            reportFinishedOnce();
            idle(MAX_WAIT_MS);
            return null;
        }
        List<SourceRecord> batch = new ArrayList<>(Math.min(batchMaxRecords, 1024));
        long newest = newestEventMs;
        while (batch.size() < batchMaxRecords && stream.hasNext()) {
            ScheduledEvent next = stream.peek();
            if (next.position().step() == 0 && !pacer.tryAcquire()) {
                break;
            }
            ScheduledEvent event = stream.next();
            if (event.position().step() == 0) {
                ordersEmitted.increment();
            }
            newest = Math.max(newest, event.event().eventTimeMs());
            batch.add(toRecord(event));
        }
        if (batch.isEmpty()) {
            idle(Math.min(MAX_WAIT_MS, TimeUnit.NANOSECONDS.toMillis(pacer.nanosUntilNextPermit()) + 1));
            return null;
        }
        emitted += batch.size();
        eventsEmitted.add(batch.size());
        eventsRate.record(batch.size());
        newestEventMs = newest;
        return batch;
    }

    @Override
    public void stop() {
        stopping.countDown();
    }

    private SourceRecord toRecord(ScheduledEvent scheduled) {
        OrderEvent event = scheduled.event();
        return new SourceRecord(sourcePartition, GeneratorOffsets.offset(startMs, scheduled.position()),
                topic, null,
                Schema.STRING_SCHEMA, event.orderId(),
                valueSchema, OrderEventSchema.toStruct(event, amountType),
                event.eventTimeMs());
    }

    private void reportFinishedOnce() {
        if (!finishReported) {
            finishReported = true;
            log.info("Generator stream {} has produced all its orders ({} events in this run); the task stays idle",
                    sourcePartition, emitted);
        }
    }

    private void idle(long millis) {
        try {
            stopping.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
