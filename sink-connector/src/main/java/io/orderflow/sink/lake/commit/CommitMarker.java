package io.orderflow.sink.lake.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.errors.ConnectException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What is durably in the store for one topic partition: every record before {@code nextOffset} is in a
 * committed file, and {@code files} are the files of the last commit. Written after the files, read on
 * partition assignment to seek past them.
 */
public record CommitMarker(String topic, int partition, long nextOffset, List<String> files) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT_VERSION = 1;

    public CommitMarker {
        files = List.copyOf(files);
    }

    public byte[] toJson() {
        ObjectNode node = JSON.createObjectNode()
                .put("version", FORMAT_VERSION)
                .put("topic", topic)
                .put("partition", partition)
                .put("next_offset", nextOffset);
        ArrayNode list = node.putArray("files");
        files.forEach(list::add);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws ConnectException when the marker is not one this version wrote: better to stop than to guess */
    public static CommitMarker fromJson(String where, byte[] json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || node.path("version").asInt() != FORMAT_VERSION || !node.path("next_offset").canConvertToLong()) {
                throw new ConnectException("Commit marker " + where + " is not a version " + FORMAT_VERSION + " marker: "
                        + new String(json, StandardCharsets.UTF_8));
            }
            List<String> files = new ArrayList<>();
            node.path("files").forEach(f -> files.add(f.asText()));
            return new CommitMarker(node.path("topic").asText(), node.path("partition").asInt(),
                    node.path("next_offset").asLong(), files);
        } catch (IOException e) {
            throw new ConnectException("Commit marker " + where + " is not valid JSON", e);
        }
    }
}
