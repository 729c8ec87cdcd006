package io.orderflow.sink.aggregate.summary;

import io.orderflow.sink.warehouse.WarehouseException;

/** The stored offset of a partition is not the one this task last saw: another task has taken the partition over. */
public final class OffsetFencedException extends WarehouseException {

    public OffsetFencedException(String message) {
        super(message, null, false);
    }
}
