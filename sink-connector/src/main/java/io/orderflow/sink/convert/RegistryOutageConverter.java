package io.orderflow.sink.convert;

import io.orderflow.common.Version;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.storage.Converter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A converter around another one (the one that converts, such as an Avro converter) for which a schema registry that
 * does not answer is a retriable failure, not a bad record.
 *
 * <p>Kafka Connect tolerates every exception a converter throws: under {@code errors.tolerance=all} a sink sends the
 * record to its dead letter queue and goes on. A converter that holds no schema yet (a task started or moved during
 * the outage) fails on every record while the registry is away, so good records would fill the dead letter queue and
 * leave holes in the lake and the summary. When the delegate fails, this converter asks the registry
 * ({@link RegistryProbe}): if it answers, the failure is the record's and passes unchanged; if not, the failure becomes
 * a {@link RetriableException}, which the worker retries (with {@code errors.retry.timeout=-1}) without moving on. An
 * outage longer than {@code outage.max.wait.ms} fails the task with {@link RegistryOutageError}, as the worker does not
 * poll its consumer while it retries and the consumer must not be dropped from its group.
 */
public class RegistryOutageConverter implements Converter {

    private static final Logger log = LoggerFactory.getLogger(RegistryOutageConverter.class);

    public static final String OVERVIEW_DOC = "Wraps another converter (<code>delegate</code>, e.g. an Avro converter) "
            + "so that a schema registry that does not answer stops a sink until it answers again, instead of sending "
            + "each record the delegate cannot convert meanwhile to the dead letter queue. Set it as "
            + "<code>value.converter</code>, the delegate's own options under the same prefix, and "
            + "<code>errors.retry.timeout=-1</code>: the worker then retries a record for as long as the registry is "
            + "away, up to <code>outage.max.wait.ms</code>, after which the task fails (restart it once the registry "
            + "answers). A record the delegate refuses while the registry answers fails as the delegate says.";

    public static final String DELEGATE_CONFIG = "delegate";
    public static final String PROBE_URL_CONFIG = "probe.url";
    public static final String MAX_WAIT_CONFIG = "outage.max.wait.ms";
    public static final long MAX_WAIT_DEFAULT = 180_000;

    /** Where Apicurio's and Confluent's converters take the registry's URL. */
    static final List<String> DELEGATE_URL_CONFIGS = List.of("apicurio.registry.url", "schema.registry.url");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    /** A probe that found no registry stands this long, so that the records after it do not ask again at once. */
    private static final long PROBE_REUSE_NS = Duration.ofSeconds(1).toNanos();

    private static final String GROUP = "Registry outage";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(DELEGATE_CONFIG, ConfigDef.Type.CLASS, ConfigDef.NO_DEFAULT_VALUE, new DelegateValidator(),
                    ConfigDef.Importance.HIGH,
                    "The converter that converts, e.g. io.apicurio.registry.utils.converter.AvroConverter or "
                            + "io.confluent.connect.avro.AvroConverter. It gets every other option of this converter's "
                            + "prefix (value.converter.*), as if it were configured in its place.",
                    GROUP, 1, ConfigDef.Width.LONG, "Delegate converter")
            .define(MAX_WAIT_CONFIG, ConfigDef.Type.LONG, MAX_WAIT_DEFAULT, ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.MEDIUM,
                    "How long a registry outage is waited out, in milliseconds, from the first record it held up; "
                            + "after that the task fails (restart it once the registry answers), and 0 fails it at "
                            + "once. It waits only with errors.retry.timeout=-1 (or at least as long), as the worker "
                            + "gives up on a record after errors.retry.timeout. The worker does not poll its consumer "
                            + "while a record waits, so this plus errors.retry.delay.max.ms plus 30 s must stay within "
                            + "the sink consumer's max.poll.interval.ms (300000 by default, "
                            + "consumer.override.max.poll.interval.ms). orderflow's sink connectors refuse a "
                            + "configuration where either does not hold.",
                    GROUP, 2, ConfigDef.Width.MEDIUM, "Outage: longest wait (ms)")
            .define(PROBE_URL_CONFIG, ConfigDef.Type.LIST, "", ConfigDef.Importance.LOW,
                    "URLs to ask whether the registry answers (any HTTP status below 500 counts as an answer). "
                            + "Empty: the delegate's own apicurio.registry.url or schema.registry.url.",
                    GROUP, 3, ConfigDef.Width.LONG, "Registry URLs to probe");

    private final LongSupplier nanoClock;
    private Converter delegate;
    private RegistryProbe probe;
    private long maxWaitMs;
    /** When the current outage held up its first record (nanoTime); -1 while the registry answers. */
    private long outageSinceNs = -1;
    private long lastProbeNs;
    private String lastProbeProblem;

    public RegistryOutageConverter() {
        this(System::nanoTime);
    }

    RegistryOutageConverter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs, false);
        maxWaitMs = config.getLong(MAX_WAIT_CONFIG);
        Map<String, Object> delegateConfigs = new HashMap<>(configs);
        CONFIG_DEF.names().forEach(delegateConfigs::remove);
        probe = new RegistryProbe(probeUrls(config.getList(PROBE_URL_CONFIG), delegateConfigs), PROBE_TIMEOUT);
        delegate = Utils.newInstance(config.getClass(DELEGATE_CONFIG), Converter.class);
        delegate.configure(delegateConfigs, isKey);
    }

    private static List<URI> probeUrls(List<String> configured, Map<String, Object> delegateConfigs) {
        List<String> urls = new ArrayList<>(configured);
        for (String key : DELEGATE_URL_CONFIGS) {
            if (urls.isEmpty() && delegateConfigs.get(key) != null) {
                for (String url : delegateConfigs.get(key).toString().split(",")) {
                    if (!url.isBlank()) {
                        urls.add(url.strip());
                    }
                }
            }
        }
        if (urls.isEmpty()) {
            throw new ConfigException(PROBE_URL_CONFIG, "", "No schema registry URL to ask: set " + PROBE_URL_CONFIG
                    + " (the delegate has neither " + String.join(" nor ", DELEGATE_URL_CONFIGS) + ")");
        }
        List<URI> uris = new ArrayList<>();
        for (String url : urls) {
            try {
                URI uri = URI.create(url);
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                    throw new IllegalArgumentException("not http(s)");
                }
                uris.add(uri);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(PROBE_URL_CONFIG, url, "Not an http(s) URL of a schema registry: " + e.getMessage());
            }
        }
        return uris;
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        return fromConnectData(topic, null, schema, value);
    }

    @Override
    public byte[] fromConnectData(String topic, Headers headers, Schema schema, Object value) {
        try {
            byte[] converted = headers == null ? delegate.fromConnectData(topic, schema, value)
                    : delegate.fromConnectData(topic, headers, schema, value);
            registryAnswered();
            return converted;
        } catch (RuntimeException e) {
            throw unlessOutage(e, topic);
        }
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        return toConnectData(topic, null, value);
    }

    @Override
    public SchemaAndValue toConnectData(String topic, Headers headers, byte[] value) {
        try {
            SchemaAndValue converted = headers == null ? delegate.toConnectData(topic, value)
                    : delegate.toConnectData(topic, headers, value);
            registryAnswered();
            return converted;
        } catch (RuntimeException e) {
            throw unlessOutage(e, topic);
        }
    }

    /** The delegate's failure as it is when the registry answers; otherwise a retriable one, or the end of the wait. */
    private RuntimeException unlessOutage(RuntimeException failure, String topic) {
        long now = nanoClock.getAsLong();
        String problem = outageSinceNs >= 0 && now - lastProbeNs < PROBE_REUSE_NS ? lastProbeProblem : probe.unreachable();
        lastProbeNs = now;
        lastProbeProblem = problem;
        if (problem == null) {
            registryAnswered();
            return failure;
        }
        if (outageSinceNs < 0) {
            outageSinceNs = now;
            log.warn("The schema registry does not answer ({}); records of {} wait for it for up to {} ms ({}) "
                    + "instead of going to the dead letter queue. The converter said: {}", problem, topic, maxWaitMs,
                    MAX_WAIT_CONFIG, failure.toString());
        }
        long waitedMs = (now - outageSinceNs) / 1_000_000;
        if (waitedMs >= maxWaitMs) {
            throw new RegistryOutageError("The schema registry has not answered for " + waitedMs + " ms (" + problem
                    + "), longer than " + MAX_WAIT_CONFIG + "=" + maxWaitMs + ". This task stops rather than send the"
                    + " records of " + topic + " it cannot convert to the dead letter queue: restart its failed tasks"
                    + " once the registry answers (POST /connectors/<name>/restart?includeTasks=true&onlyFailed=true);"
                    + " they resume where the sink left off.", failure);
        }
        return new RetriableException("The schema registry does not answer (" + problem + "); a record of " + topic
                + " waits for it (" + waitedMs + " of at most " + maxWaitMs + " ms). The converter said: " + failure, failure);
    }

    private void registryAnswered() {
        if (outageSinceNs >= 0) {
            log.info("The schema registry answers again after {} ms", (nanoClock.getAsLong() - outageSinceNs) / 1_000_000);
            outageSinceNs = -1;
        }
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void close() throws IOException {
        // A Converter is Closeable from Kafka 4.0 on; on a 3.9 worker the delegate may not be.
        Object converter = delegate;
        if (converter instanceof Closeable closeable) {
            closeable.close();
        }
    }

    /**
     * The end of a wait for the registry. An {@link Error}, not an exception, on purpose: Kafka Connect tolerates every
     * exception a converter throws (under {@code errors.tolerance=all} the record goes to the dead letter queue and the
     * task goes on), while this must stop the task with its records unconverted and their offsets uncommitted.
     */
    public static final class RegistryOutageError extends Error {
        private static final long serialVersionUID = 1L;

        RegistryOutageError(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The delegate must be a converter, and not this one. */
    private static final class DelegateValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value instanceof Class<?> type && (!Converter.class.isAssignableFrom(type)
                    || RegistryOutageConverter.class.isAssignableFrom(type))) {
                throw new ConfigException(name, type.getName(), "Must be a converter other than "
                        + RegistryOutageConverter.class.getSimpleName());
            }
        }

        @Override
        public String toString() {
            return "a Converter class, e.g. io.apicurio.registry.utils.converter.AvroConverter";
        }
    }
}
