package io.orderflow.sink.warehouse;

import java.nio.file.Path;

/** Loads committed lake files into a warehouse table, each file exactly once. */
public interface WarehouseLoader extends AutoCloseable {

    /**
     * Loads one file, unless the warehouse's load history already has it; the rows and the history entry are
     * written in one transaction.
     *
     * @param fileKey   the file's key in the store: its identity in the load history
     * @param localFile a local copy to read
     * @return whether rows were loaded (false: loaded before)
     * @throws WarehouseException on failure, saying whether a retry can help
     */
    boolean load(String fileKey, Path localFile);

    /**
     * Loads the files of one commit, each exactly once; a warehouse that loads several files per statement
     * (Snowflake's COPY ... FILES = (...)) overrides this.
     *
     * @param files the files' keys in the store, in commit order, with a local copy of each
     */
    default void loadAll(java.util.Map<String, Path> files) {
        files.forEach(this::load);
    }

    /**
     * Records that the warehouse refused a file for good ({@code warehouse.load.error.policy=record-and-continue}):
     * a FAILED entry with the error where the warehouse keeps its load history, so the file is passed over on
     * replay and an operator can find it, fix the cause and load it again (by deleting the entry).
     */
    void recordFailure(String fileKey, String error);

    @Override
    void close();
}
