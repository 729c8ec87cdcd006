package io.orderflow.sink.warehouse;

/** A warehouse operation failed; {@link #retriable()} tells an outage or lock from a refusal (bad schema, no rights). */
public class WarehouseException extends RuntimeException {

    private final boolean retriable;

    public WarehouseException(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
