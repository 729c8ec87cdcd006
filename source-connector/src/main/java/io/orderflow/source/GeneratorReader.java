package io.orderflow.source;

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
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Emits one generator stream; see {@link GeneratorOffsets} for how it resumes. */
final class GeneratorReader implements OrderReader {

    private static final Logger log = LoggerFactory.getLogger(GeneratorReader.class);

    /** Longest a poll waits for the pacer or idles once finished, so stop() and the worker stay responsive. */
    private static final long MAX_WAIT_MS = 200;

    private final String topic;
    private final AmountType amountType;
    private final Schema valueSchema;
    private final int batchMaxRecords;
    private final Map<String, Object> sourcePartition;
    private final long startMs;
    private final OrderEventStream stream;
    private final Pacer pacer;
    private final SourceMetrics metrics;
    private final PluginInstruments.Counter ordersEmitted;
    private final Idle idle;
    private final long lingerNanos;
    private long emitted;
    private boolean finishReported;

    GeneratorReader(OrderSourceTaskConfig config, OffsetStorageReader offsets, SourceMetrics metrics, Idle idle) {
        this.topic = config.output().topic();
        this.amountType = config.output().amountType();
        this.valueSchema = OrderEventSchema.valueSchema(amountType, config.output().schemaDocs());
        this.batchMaxRecords = config.output().batchMaxRecords();
        this.pacer = new Pacer(config.generator().ordersPerSecond(), System::nanoTime);
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(config.generator().pollLingerMs());
        this.metrics = metrics;
        this.ordersEmitted = metrics.instruments().counter("orders-emitted-total", "Orders this task started (their first event)");
        this.idle = idle;

        GeneratorSettings fresh = config.freshGeneratorSettings();
        sourcePartition = GeneratorOffsets.partition(fresh);
        Map<String, Object> storedOffset = offsets.offset(sourcePartition);
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
            idle.await(MAX_WAIT_MS);
            return null;
        }
        List<SourceRecord> batch = new ArrayList<>(Math.min(batchMaxRecords, 1024));
        long newest = Long.MIN_VALUE;
        long lingerEnds = System.nanoTime() + lingerNanos;
        while (batch.size() < batchMaxRecords && stream.hasNext()) {
            ScheduledEvent next = stream.peek();
            if (next.position().step() == 0 && !pacer.tryAcquire()) {
                // Paced: wait for the next order within the poll's linger, so that one poll (one transaction
                // under exactly-once support) carries what came due in it.
                long lingerLeft = lingerEnds - System.nanoTime();
                if (batch.isEmpty() || lingerLeft <= 0 || !idle.await(TimeUnit.NANOSECONDS.toMillis(
                        Math.min(lingerLeft, pacer.nanosUntilNextPermit())) + 1)) {
                    break;
                }
                continue;
            }
            ScheduledEvent event = stream.next();
            if (event.position().step() == 0) {
                ordersEmitted.increment();
            }
            newest = Math.max(newest, event.event().eventTimeMs());
            batch.add(toRecord(event));
        }
        if (batch.isEmpty()) {
            idle.await(Math.min(MAX_WAIT_MS, TimeUnit.NANOSECONDS.toMillis(pacer.nanosUntilNextPermit()) + 1));
            return null;
        }
        emitted += batch.size();
        metrics.emitted(batch.size(), newest);
        return batch;
    }

    @Override
    public void close() {
    }

    private SourceRecord toRecord(ScheduledEvent scheduled) {
        OrderEvent event = scheduled.event();
        return new SourceRecord(sourcePartition, GeneratorOffsets.offset(startMs, scheduled.position()),
                topic, null,
                Schema.STRING_SCHEMA, event.orderId(),
                valueSchema, OrderEventSchema.toStruct(event, valueSchema, amountType),
                event.eventTimeMs());
    }

    private void reportFinishedOnce() {
        if (!finishReported) {
            finishReported = true;
            log.info("Generator stream {} has produced all its orders ({} events in this run); the task stays idle",
                    sourcePartition, emitted);
        }
    }
}
