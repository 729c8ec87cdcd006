package io.orderflow.sink.convert;

import io.orderflow.common.config.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a sink connector's configuration must hold for {@link RegistryOutageConverter} to wait out an outage: the
 * worker's options and the converter's, which only the connector sees together. Checked by the sink connectors'
 * {@code validate()} and at their start.
 */
public final class OutageWaitChecks {

    static final String RETRY_TIMEOUT = "errors.retry.timeout";
    static final String RETRY_DELAY_MAX = "errors.retry.delay.max.ms";
    static final String MAX_POLL_INTERVAL = "consumer.override.max.poll.interval.ms";
    /** Kafka's defaults of the three, as the worker applies them when a connector does not set them. */
    private static final long RETRY_TIMEOUT_DEFAULT = 0;
    private static final long RETRY_DELAY_MAX_DEFAULT = 60_000;
    private static final long MAX_POLL_INTERVAL_DEFAULT = 300_000;
    /** For the delegate's and the probe's calls after the last back-off. */
    static final long CALL_MARGIN_MS = 30_000;

    private OutageWaitChecks() {
    }

    public static List<FieldError> errors(Map<String, String> connectorConfig) {
        List<FieldError> errors = new ArrayList<>();
        for (String prefix : List.of("key.converter", "value.converter")) {
            if (!RegistryOutageConverter.class.getName().equals(trimmed(connectorConfig.get(prefix)))) {
                continue;
            }
            String waitOption = prefix + "." + RegistryOutageConverter.MAX_WAIT_CONFIG;
            Long wait = number(connectorConfig, waitOption, RegistryOutageConverter.MAX_WAIT_DEFAULT);
            Long retryTimeout = number(connectorConfig, RETRY_TIMEOUT, RETRY_TIMEOUT_DEFAULT);
            Long delayMax = number(connectorConfig, RETRY_DELAY_MAX, RETRY_DELAY_MAX_DEFAULT);
            Long maxPoll = number(connectorConfig, MAX_POLL_INTERVAL, MAX_POLL_INTERVAL_DEFAULT);
            // Unparsable values are the worker's and the converter's own validation to report.
            if (wait == null || wait == 0) {
                continue;
            }
            if (retryTimeout != null && retryTimeout != -1 && retryTimeout < wait) {
                errors.add(new FieldError(RETRY_TIMEOUT, "Must be -1 (or at least " + waitOption + "=" + wait
                        + ") for " + prefix + " " + RegistryOutageConverter.class.getSimpleName() + " to wait for the "
                        + "schema registry: the worker gives up on a record after " + retryTimeout + " ms and, under "
                        + "errors.tolerance=all, sends it to the dead letter queue while the registry is away"));
            }
            if (delayMax != null && maxPoll != null && wait + delayMax + CALL_MARGIN_MS > maxPoll) {
                errors.add(new FieldError(waitOption, "Too long for the sink consumer: " + wait + " ms of waiting plus "
                        + RETRY_DELAY_MAX + "=" + delayMax + " plus " + CALL_MARGIN_MS + " ms for the last attempt exceeds "
                        + "max.poll.interval.ms=" + maxPoll + ". The worker does not poll while a record waits, and a "
                        + "consumer that does not poll in time leaves its group while its task still writes. Lower "
                        + waitOption + " or " + RETRY_DELAY_MAX + ", or raise " + MAX_POLL_INTERVAL));
            }
        }
        return errors;
    }

    private static Long number(Map<String, String> config, String name, long defaultValue) {
        String value = trimmed(config.get(name));
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String trimmed(String value) {
        return value == null ? null : value.strip();
    }
}
