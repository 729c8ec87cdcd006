package io.orderflow.local.bench;

import io.orderflow.source.OrderSourceConnector;
import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.generator.OrderEventStream;
import io.orderflow.testing.ConnectStack;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** The order source as the benchmarks use it: as a connector in the worker, or as its generator in this JVM. */
final class BenchSource {

    private BenchSource() {
    }

    /** One source task writing StringConverter keys and JsonConverter values with schemas (numeric decimals). */
    static Map<String, String> connectorConfig(String topic) {
        Map<String, String> source = new HashMap<>();
        source.put("connector.class", "io.orderflow.source.OrderSourceConnector");
        source.put("tasks.max", "1");
        source.put("topic", topic);
        source.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        source.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        source.put("value.converter.decimal.format", "NUMERIC");
        return source;
    }

    /** The generator's events from 2026-01-01, as one task with the default seed produces them. */
    static Iterator<OrderEvent> events() {
        OrderSourceConnector source = new OrderSourceConnector();
        source.start(Map.of("topic", "bench.orders", "orders.per.second", "0", "event.time.start", "2026-01-01T00:00:00Z"));
        OrderEventStream stream = OrderEventStream.fromStart(new OrderSourceTaskConfig(source.taskConfigs(1).get(0))
                .freshGeneratorSettings());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return stream.hasNext();
            }

            @Override
            public OrderEvent next() {
                return stream.next().event();
            }
        };
    }

    /**
     * Fills a topic with about {@code targetEvents} events at full speed (an order makes 3.6 events on average)
     * and returns its end offset once it stops growing.
     */
    static long prefill(ConnectStack stack, String topic, int targetEvents, Map<String, String> extra) throws InterruptedException {
        Map<String, String> source = connectorConfig(topic);
        source.put("orders.per.second", "0");
        source.put("max.orders", Integer.toString(targetEvents * 10 / 36));
        source.put("event.time.start", "2026-01-01T00:00:00Z");
        source.putAll(extra);
        stack.connect().configureConnector(topic + "-prefill", source);
        long end = -1;
        for (long previous = -2; end != previous; ) {
            Thread.sleep(2_000);
            previous = end;
            end = AppendSpan.endOffset(stack.bootstrapServers(), topic);
        }
        stack.connect().deleteConnector(topic + "-prefill");
        return end;
    }
}
