package io.orderflow.smt.predicate;

import io.orderflow.common.field.FieldPath;
import io.orderflow.common.config.Choices;
import io.orderflow.common.metrics.PluginInstruments;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import io.orderflow.common.Version;
import io.orderflow.smt.common.RecordErrors;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.field.FieldSyntaxVersion;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A predicate on field values, so that record filtering is configuration: with Kafka's built-in
 * {@code Filter} transform, {@code status == 'COMPLETED'} keeps only completed orders.
 *
 * @param <R> the record type
 */
public class FieldMatches<R extends ConnectRecord<R>> implements Predicate<R>, Monitorable {

    public static final String OVERVIEW_DOC = "Matches records whose key or value fields satisfy an expression, "
            + "e.g. <code>status == 'COMPLETED' &amp;&amp; amount &gt; 0</code>. Use it as the predicate of the built-in "
            + "<code>org.apache.kafka.connect.transforms.Filter</code> (with <code>negate=true</code> to keep the matches), "
            + "or of any transform. Fields are value fields by default; <code>$key.name</code> reads a key field and "
            + "<code>$key</code> the whole key. Operators: == != &lt; &lt;= &gt; &gt;= (numbers, Decimals, numeric strings, "
            + "text), in (...), not in (...), =~ 'regex' (full match), is [not] null, is [not] missing; combined with "
            + "&amp;&amp;/and, ||/or, !/not and parentheses. A comparison on a null value is false.";

    public static final String EXPRESSION_CONFIG = "expression";
    public static final String TOMBSTONE_MATCHES_CONFIG = "tombstone.matches";
    public static final String MISSING_FIELD_BEHAVIOR_CONFIG = "missing.field.behavior";

    private static final String GROUP = "Field matches";
    private static final String NO_MATCH = "no-match";
    private static final String FAIL = "fail";

    public static final ConfigDef CONFIG_DEF = Choices.recommended(FieldPath.defineSyntaxVersion(new ConfigDef()
            .define(EXPRESSION_CONFIG, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ExpressionValidator(),
                    ConfigDef.Importance.HIGH,
                    "The condition records must meet, e.g. status == 'COMPLETED' && amount > 0. Conditions on value "
                            + "fields ($key or $key.f for the key): == != < <= > >= (numbers, Decimals, numeric strings, "
                            + "text), in (...), not in (...), =~ 'regex' (full match), is [not] null, is [not] missing; "
                            + "combined with && or and, || or or, ! or not, and parentheses. A comparison on a null value "
                            + "is false. Parsed once at configure time; a syntax error names its position.",
                    GROUP, 1, ConfigDef.Width.LONG, "Expression", new ExpressionUnderConfiguredSyntax())
            .define(TOMBSTONE_MATCHES_CONFIG, ConfigDef.Type.BOOLEAN, false, ConfigDef.Importance.MEDIUM,
                    "Whether a record with a null value (a tombstone) matches.",
                    GROUP, 2, ConfigDef.Width.SHORT, "Tombstones match")
            .define(MISSING_FIELD_BEHAVIOR_CONFIG, ConfigDef.Type.STRING, NO_MATCH,
                    Choices.of(NO_MATCH, FAIL), ConfigDef.Importance.MEDIUM,
                    "What a condition on a field the record does not have does: 'no-match' (the condition is false) or "
                            + "'fail' (a DataException naming the field, handled by errors.tolerance and the DLQ). "
                            + "'is missing' tests for absent fields either way.",
                    GROUP, 3, ConfigDef.Width.SHORT, "Missing field behavior"), GROUP, 4));

    private Expression expression;
    private String expressionText;
    private boolean tombstoneMatches;
    private PluginInstruments.Counter matched = PluginInstruments.Counter.NONE;
    private PluginInstruments.Counter unmatched = PluginInstruments.Counter.NONE;

    @Override
    public void configure(Map<String, ?> props) {
        SimpleConfig config = new SimpleConfig(CONFIG_DEF, props);
        boolean failOnMissing = FAIL.equals(config.getString(MISSING_FIELD_BEHAVIOR_CONFIG).toLowerCase(Locale.ROOT));
        expressionText = config.getString(EXPRESSION_CONFIG);
        expression = ExpressionParser.parse(expressionText, FieldSyntaxVersion.fromConfig(config), failOnMissing);
        tombstoneMatches = config.getBoolean(TOMBSTONE_MATCHES_CONFIG);
    }

    /** With Filter, records matched (or, with negate=true, not matched) are the ones dropped. */
    @Override
    public void withPluginMetrics(PluginMetrics metrics) {
        PluginInstruments instruments = PluginInstruments.of(metrics);
        matched = instruments.counter("records-matched-total", "Records that satisfy the expression");
        unmatched = instruments.counter("records-not-matched-total", "Records that do not satisfy the expression");
    }

    @Override
    public boolean test(R record) {
        boolean matches;
        if (record.value() == null) {
            matches = tombstoneMatches;
        } else {
            try {
                matches = expression.test(record.key(), record.value());
            } catch (DataException e) {
                throw RecordErrors.named(record, e);
            }
        }
        (matches ? matched : unmatched).increment();
        return matches;
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
    public void close() {
    }

    @Override
    public String toString() {
        return "FieldMatches{" + expressionText + "}";
    }

    /**
     * Rejects an expression that does not parse in any field syntax, with its position. Field paths are checked in
     * the configured syntax by {@link ExpressionUnderConfiguredSyntax}, which sees the other options.
     */
    private static final class ExpressionValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            try {
                ExpressionParser.parse((String) value, FieldSyntaxVersion.V1, false);
            } catch (ConfigException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "an expression such as status == 'COMPLETED' && amount > 0";
        }
    }

    /**
     * Parses the expression with the field syntax configured beside it, so that {@code validate()} accepts exactly
     * what {@link #configure} will: a ConfigDef validator sees one option, a recommender sees all of them, and
     * Connect reports a ConfigException it throws on the option. Under a connector the options are prefixed
     * ({@code predicates.<alias>.}); the prefix of the expression's own name finds the syntax option.
     */
    private static final class ExpressionUnderConfiguredSyntax implements ConfigDef.Recommender {
        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            Object expression = parsedConfig.get(name);
            if (expression != null && parsesInV1(String.valueOf(expression))) {   // else the validator reports it
                String prefix = name.substring(0, name.length() - EXPRESSION_CONFIG.length());
                Object syntax = parsedConfig.get(prefix + FieldSyntaxVersion.FIELD_SYNTAX_VERSION_CONFIG);
                FieldSyntaxVersion version = syntax == null ? FieldSyntaxVersion.V1
                        : FieldSyntaxVersion.valueOf(String.valueOf(syntax).toUpperCase(Locale.ROOT));
                try {
                    ExpressionParser.parse(String.valueOf(expression), version, false);
                } catch (ConfigException e) {
                    throw new ConfigException(name, expression, e.getMessage() + " (field.syntax.version=" + version + ")");
                }
            }
            return List.of();
        }

        private static boolean parsesInV1(String expression) {
            try {
                ExpressionParser.parse(expression, FieldSyntaxVersion.V1, false);
                return true;
            } catch (ConfigException e) {
                return false;
            }
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }
    }
}
