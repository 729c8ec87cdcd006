package io.orderflow.source;

import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.generator.GeneratorSettings;
import io.orderflow.source.generator.StreamPosition;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GeneratorOffsetsTest {

    private static GeneratorSettings settings() {
        return new OrderSourceTaskConfig(OrderSourceTaskConfig.forTask(Map.of("seed", "77"), 1, 3, 0L)).freshGeneratorSettings();
    }

    /**
     * The worker looks offsets up by the serialized partition bytes, after rebuilding the partition from JSON
     * as a HashMap (REST API, offset reader). Our partition must serialize to the same bytes either way.
     */
    @Test
    void partitionSerializesLikeTheWorkersRebuiltCopy() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), true);
        Map<String, Object> partition = GeneratorOffsets.partition(settings());
        byte[] written = converter.fromConnectData("offsets", null, Arrays.asList("orders", partition));
        List<?> readBack = (List<?>) converter.toConnectData("offsets", written).value();
        byte[] rewritten = converter.fromConnectData("offsets", null, Arrays.asList("orders", new HashMap<>((Map<?, ?>) readBack.get(1))));
        assertArrayEquals(written, rewritten);
    }

    @Test
    void offsetRoundTripsThroughJson() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), false);
        StreamPosition position = new StreamPosition(1_780_000_123_456L, 4_000_000_001L, 3);
        Map<String, Object> offset = GeneratorOffsets.offset(1_780_000_000_000L, position);
        @SuppressWarnings("unchecked")
        Map<String, ?> readBack = (Map<String, ?>) converter.toConnectData("o", converter.fromConnectData("o", null, offset)).value();
        GeneratorOffsets.Stored stored = GeneratorOffsets.decode(readBack);
        assertEquals(position, stored.last());
        assertEquals(1_780_000_000_000L, stored.startMs());
    }
}
