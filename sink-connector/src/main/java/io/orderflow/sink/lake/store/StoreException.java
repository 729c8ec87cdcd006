package io.orderflow.sink.lake.store;

/**
 * A store operation failed. {@link #retriable()} tells an outage (network, 5xx, throttling: retry later) from
 * a permanent refusal (no such bucket, access denied: retrying will not help).
 */
public class StoreException extends RuntimeException {

    private final boolean retriable;

    public StoreException(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
