package io.orderflow.sink.lake;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.orderflow.sink.lake.commit.ObjectNames;
import io.orderflow.sink.lake.config.FileConfig;
import io.orderflow.sink.lake.config.RotationConfig;
import io.orderflow.sink.lake.store.ObjectStore;

import java.nio.file.Path;
import java.util.List;

/**
 * What every {@link TopicPartitionWriter} of a task shares, built once at start.
 *
 * @param tempDir      where open files are written before upload
 * @param beforeCommit runs before a commit marker is written (awaits dead letter reports)
 * @param loader       loads committed files into the warehouse; idempotent, as the warehouse keeps a load history
 */
record WriterContext(ObjectStore store, ObjectNames names, AvroData avroData, FileConfig file, RotationConfig rotation,
                     Path tempDir, Runnable beforeCommit, FileLoader loader, LakeMetrics metrics) {

    /** Loads committed files into the warehouse; idempotent, as the warehouse keeps a load history. */
    @FunctionalInterface
    interface FileLoader {
        void load(List<String> fileKeys);
    }
}
