package io.orderflow.sink.lake.commit;

import org.apache.kafka.common.TopicPartition;

/**
 * Object keys. A data file is {@code <prefix>/<directory>/<topic>+<partition>+<startOffset>.parquet}, where the
 * directory is the record's topic as transforms left it (a router renames it) and the partitioner's path, and the
 * name holds the topic partition it was consumed from; the
 * start offset zero-padded to 20 digits so names sort by offset; a replay after a crash regenerates the same
 * name and overwrites instead of duplicating. Markers live under {@code <prefix>/_orderflow/markers/}.
 */
public final class ObjectNames {

    private final String prefix;

    public ObjectNames(String prefix) {
        this.prefix = prefix.isEmpty() ? "" : prefix + "/";
    }

    public String dataFile(TopicPartition tp, String directory, long startOffset) {
        return prefix + directory + "/" + tp.topic() + "+" + tp.partition() + "+"
                + String.format("%020d", startOffset) + ".parquet";
    }

    public String marker(TopicPartition tp) {
        return markers() + tp.topic() + "+" + tp.partition() + ".json";
    }

    /** Prefix of every commit marker. */
    public String markers() {
        return prefix + "_orderflow/markers/";
    }

    /** Prefix of every data file of a topic. */
    public String topic(String topic) {
        return prefix + topic + "/";
    }
}
