package io.orderflow.source.config;

import io.orderflow.common.config.Choices;
import io.orderflow.common.config.FieldError;
import io.orderflow.common.sql.ColumnName;
import io.orderflow.common.sql.TableName;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.source.event.OrderStatus;
import io.orderflow.source.jdbc.JdbcDialect;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Which reader runs and, for {@code reader=jdbc}, the database and the table's mapping; the cursor is {@link CursorConfig}. */
public final class JdbcConfig {

    static final String READER_GROUP = "Reader";
    static final String GROUP = "JDBC reader";

    public static final String READER = "reader";
    public static final String URL = "jdbc.url";
    public static final String USER = "jdbc.user";
    public static final String PASSWORD = "jdbc.password";
    public static final String TABLE = "jdbc.table";
    public static final String COLUMN_PREFIX = "jdbc.column.";
    public static final String STATUS_MAPPING = "jdbc.status.mapping";
    public static final String STATUS_UNKNOWN = "jdbc.status.unknown";
    public static final String AMOUNT_SCALE = "jdbc.amount.scale";

    /** The record fields a column maps to, in schema order: each has an option {@code jdbc.column.<field>}. */
    public static final List<String> FIELDS = List.of(OrderEventSchema.ORDER_ID, OrderEventSchema.CUSTOMER_ID,
            OrderEventSchema.AMOUNT, OrderEventSchema.CURRENCY, OrderEventSchema.STATUS, OrderEventSchema.EVENT_TIME);

    private final SourceReader reader;
    private final String url;
    private final String user;
    private final Password password;
    private final TableName table;
    private final Map<String, ColumnName> columns;
    private final Map<String, String> statusMapping;
    private final UnknownStatusPolicy unknownStatus;
    private final int amountScale;
    private final CursorConfig cursor;

    JdbcConfig(AbstractConfig config) {
        reader = SourceReader.fromConfig(config.getString(READER));
        url = config.getString(URL).trim();
        user = config.getString(USER);
        password = config.getPassword(PASSWORD);
        table = TableName.parse(config.getString(TABLE));
        Map<String, ColumnName> mapped = new LinkedHashMap<>();
        FIELDS.forEach(field -> mapped.put(field, new ColumnName(config.getString(COLUMN_PREFIX + field))));
        columns = Map.copyOf(mapped);
        statusMapping = parseStatusMapping(config.getList(STATUS_MAPPING));
        unknownStatus = UnknownStatusPolicy.fromConfig(config.getString(STATUS_UNKNOWN));
        amountScale = config.getInt(AMOUNT_SCALE);
        cursor = new CursorConfig(config, JdbcDialect.of(url));
    }

    static ConfigDef addTo(ConfigDef def) {
        def.define(READER, Type.STRING, SourceReader.GENERATOR.configValue(), Choices.of(SourceReader.configValues()),
                Importance.HIGH, "Where order events come from: 'generator' (deterministic synthetic orders, the embedded "
                        + "default) or 'jdbc' (an orders table or view, read incrementally; options " + URL + " and the "
                        + "other jdbc.* options). The generator's options are ignored with reader=jdbc.",
                READER_GROUP, 1, Width.SHORT, "Reader");
        int order = 0;
        def.define(URL, Type.STRING, "", Importance.HIGH,
                        "JDBC URL of the database holding the orders table, e.g. jdbc:postgresql://db:5432/shop. The "
                                + "PostgreSQL driver is bundled; for another database put its driver jar in the "
                                + "plugin's lib/ directory. Required with reader=jdbc.",
                        GROUP, ++order, Width.LONG, "JDBC URL")
                .define(USER, Type.STRING, "", Importance.HIGH, "Database user the reader connects as; it needs SELECT on the "
                        + "table only.", GROUP, ++order, Width.MEDIUM, "User")
                .define(PASSWORD, Type.PASSWORD, null, Importance.HIGH,
                        "Database password. Never logged; use a config provider (${file:...} or ${env:...}) rather "
                                + "than writing it into the connector's JSON.",
                        GROUP, ++order, Width.MEDIUM, "Password")
                .define(TABLE, Type.STRING, "orders", TableName.validator(), Importance.HIGH,
                        "The orders table or view, as [schema.]table. Names are quoted as written, so they are "
                                + "case-sensitive: a table created without quotes on PostgreSQL has a lower-case name.",
                        GROUP, ++order, Width.MEDIUM, "Table");
        for (String field : FIELDS) {
            def.define(COLUMN_PREFIX + field, Type.STRING, field, ColumnName.validator(), Importance.MEDIUM,
                    "Column holding the record's '" + field + "' field." + columnNote(field),
                    GROUP, ++order, Width.SHORT, "Column for " + field);
        }
        def
                .define(STATUS_MAPPING, Type.LIST, "", statusMappingValidator(), Importance.MEDIUM,
                        "Database status values and the order status each stands for, as value=STATUS pairs, e.g. "
                                + "'new=CREATED,done=COMPLETED'. Values not listed match the statuses "
                                + String.join(", ", statusNames()) + " by name, ignoring case.",
                        GROUP, ++order, Width.LONG, "Status mapping")
                .define(STATUS_UNKNOWN, Type.STRING, UnknownStatusPolicy.FAIL.configValue(),
                        Choices.of(UnknownStatusPolicy.configValues()), Importance.MEDIUM,
                        "A row whose status maps to no order status: 'fail' the task naming the row, 'skip' it "
                                + "(counted in rows-skipped-total and logged), or 'pass' the database's value through.",
                        GROUP, ++order, Width.SHORT, "Unknown status")
                .define(AMOUNT_SCALE, Type.INT, -1, Range.between(-1, 38), Importance.MEDIUM,
                        "Scale of the amount: -1 takes the column's declared scale. Required for a numeric column "
                                + "declared without a scale; a value with more decimal places than this is a bad row.",
                        GROUP, ++order, Width.SHORT, "Amount scale");
        return CursorConfig.addTo(def);
    }

    private static String columnNote(String field) {
        return switch (field) {
            case OrderEventSchema.ORDER_ID -> " Also the record key, and what splits the rows between tasks.";
            case OrderEventSchema.AMOUNT -> " A numeric/decimal column: the record's Decimal takes its scale.";
            case OrderEventSchema.STATUS -> " Mapped with " + STATUS_MAPPING + ".";
            case OrderEventSchema.EVENT_TIME -> " A timestamp column; also the Kafka record timestamp. May be the "
                    + "cursor timestamp column.";
            default -> "";
        };
    }

    static List<FieldError> crossFieldErrors(Map<String, Object> values) {
        List<FieldError> errors = new ArrayList<>();
        if (!(values.get(READER) instanceof String reader) || !reader.trim().equalsIgnoreCase(SourceReader.JDBC.configValue())) {
            return errors;
        }
        String url = values.get(URL) instanceof String text ? text.trim() : "";
        if (url.isEmpty()) {
            errors.add(new FieldError(URL, URL + " is required with reader=jdbc"));
            return errors;
        }
        if (!url.startsWith("jdbc:")) {
            errors.add(new FieldError(URL, "'" + url + "' is not a JDBC URL (jdbc:<database>:...)"));
        }
        boolean postgres = JdbcDialect.of(url) == JdbcDialect.POSTGRESQL;
        if (values.get(CursorConfig.FENCE) instanceof String fence && fence.trim().equalsIgnoreCase(CursorFence.SNAPSHOT.configValue())
                && !postgres) {
            errors.add(new FieldError(CursorConfig.FENCE, "the snapshot fence needs PostgreSQL; " + url + " is another database: "
                    + "use safety-lag"));
        }
        if (values.get(CursorConfig.XID_COLUMN) instanceof String xid && !xid.isBlank()) {
            try {
                new ColumnName(xid.trim());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(CursorConfig.XID_COLUMN, e.getMessage()));
            }
        }
        return errors;
    }

    private static List<String> statusNames() {
        return java.util.Arrays.stream(OrderStatus.values()).map(Enum::name).toList();
    }

    private static Map<String, String> parseStatusMapping(List<String> pairs) {
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            mapping.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim().toUpperCase(Locale.ROOT));
        }
        return Map.copyOf(mapping);
    }

    private static ConfigDef.Validator statusMappingValidator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                @SuppressWarnings("unchecked")
                List<String> pairs = (List<String>) value;
                for (String pair : pairs) {
                    int equals = pair.indexOf('=');
                    if (equals <= 0 || !statusNames().contains(pair.substring(equals + 1).trim().toUpperCase(Locale.ROOT))) {
                        throw new ConfigException(name, value, "'" + pair + "' is not value=STATUS with STATUS one of "
                                + String.join(", ", statusNames()));
                    }
                }
            }

            @Override
            public String toString() {
                return "value=STATUS pairs, STATUS one of " + String.join(", ", statusNames());
            }
        };
    }

    public SourceReader reader() {
        return reader;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    /** The password, or null when none is configured. */
    public String password() {
        return password == null ? null : password.value();
    }

    public JdbcDialect dialect() {
        return JdbcDialect.of(url);
    }

    public TableName table() {
        return table;
    }

    /** The column each record field is read from. */
    public ColumnName column(String field) {
        return columns.get(field);
    }

    /** Database value → order status name, as configured. */
    public Map<String, String> statusMapping() {
        return statusMapping;
    }

    public UnknownStatusPolicy unknownStatus() {
        return unknownStatus;
    }

    /** How the reader follows the table: cursor columns, fence, polling and retries. */
    public CursorConfig cursor() {
        return cursor;
    }

    /** The configured amount scale, or empty to take the column's. */
    public java.util.OptionalInt amountScale() {
        return amountScale < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(amountScale);
    }
}
