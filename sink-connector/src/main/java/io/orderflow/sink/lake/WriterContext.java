package io.orderflow.sink.lake;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.orderflow.sink.lake.commit.ObjectNames;
import io.orderflow.sink.lake.config.FileConfig;
import io.orderflow.sink.lake.config.RotationConfig;
import io.orderflow.sink.lake.store.ObjectStore;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What every {@link TopicPartitionWriter} of a task shares, built once at start.
 *
 * @param tempDir      where open files are written before upload
 * @param awaitReports  taken when a partition's files close: what awaits the dead letter reports sent so far, run
 *                      before that commit's marker is written
 * @param encoding      the task's encoding thread: Parquet encoding and closing of the open files
 * @param commits       the task's commit thread: uploads, markers and loads, in the order they are handed over
 * @param loader       loads committed files into the warehouse; idempotent, as the warehouse keeps a load history
 */
record WriterContext(ObjectStore store, ObjectNames names, AvroData avroData, FileConfig file, RotationConfig rotation,
                     Path tempDir, Supplier<Runnable> awaitReports, FileLoader loader, FileEncoding encoding,
                     Executor commits, LakeMetrics metrics) {

    /**
     * Loads committed files into the warehouse; idempotent, as the warehouse keeps a load history. A commit still
     * holding the files it uploaded passes them as {@code localCopies} (key to file), which spares a download.
     */
    @FunctionalInterface
    interface FileLoader {
        void load(List<String> fileKeys, Map<String, Path> localCopies);
    }
}
