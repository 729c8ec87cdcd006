package io.orderflow.sink.lake.commit;

import org.apache.kafka.common.TopicPartition;

/**
 * Object keys. A data file is {@code <prefix>/<topic>/<path>/<topic>+<partition>+<startOffset>.parquet}, the
 * start offset zero-padded to 20 digits so names sort by offset; a replay after a crash regenerates the same
 * name and overwrites instead of duplicating. Markers live under {@code <prefix>/_orderflow/markers/}.
 */
public final class ObjectNames {

    private final String prefix;

    public ObjectNames(String prefix) {
        this.prefix = prefix.isEmpty() ? "" : prefix + "/";
    }

    public String dataFile(TopicPartition tp, String path, long startOffset) {
        return prefix + tp.topic() + "/" + path + "/" + tp.topic() + "+" + tp.partition() + "+"
                + String.format("%020d", startOffset) + ".parquet";
    }

    public String marker(TopicPartition tp) {
        return prefix + "_orderflow/markers/" + tp.topic() + "+" + tp.partition() + ".json";
    }

    /** Prefix of every data file of a topic. */
    public String topic(String topic) {
        return prefix + topic + "/";
    }
}
