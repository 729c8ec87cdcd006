package io.orderflow.sink.warehouse.config;

import io.orderflow.common.config.Choices;
import io.orderflow.common.config.FieldError;
import io.orderflow.common.sql.TableName;
import io.orderflow.sink.warehouse.snowflake.SnowflakeConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which warehouse a sink writes to and how: the dialect, the target table, table management, and the
 * DuckDB and PostgreSQL connection options. Snowflake's options are their own fragment, {@link SnowflakeConfig}.
 * Shared by the lake sink (file loads) and the aggregate sink (upserts).
 */
public final class WarehouseConfig {

    static final String GROUP = "Warehouse";

    public static final String DIALECT = "warehouse.dialect";
    public static final String TABLE = "warehouse.table";
    static final String AUTO_CREATE = "warehouse.auto.create";
    static final String AUTO_EVOLVE = "warehouse.auto.evolve";
    static final String DUCKDB_PATH = "duckdb.path";
    static final String POSTGRESQL_URL = "postgresql.url";
    static final String POSTGRESQL_USER = "postgresql.user";
    static final String POSTGRESQL_PASSWORD = "postgresql.password";

    /** The warehouses a sink can write to. */
    public enum Dialect { NONE, DUCKDB, POSTGRESQL, SNOWFLAKE }

    private final Dialect dialect;
    private final TableName table;
    private final boolean autoCreate;
    private final boolean autoEvolve;
    private final String duckDbPath;
    private final String postgresUrl;
    private final String postgresUser;
    private final Password postgresPassword;
    private final SnowflakeConfig snowflake;

    public WarehouseConfig(AbstractConfig config) {
        this.snowflake = new SnowflakeConfig(config);
        this.dialect = Dialect.valueOf(config.getString(DIALECT).toUpperCase(Locale.ROOT));
        this.table = TableName.parse(config.getString(TABLE));
        this.autoCreate = config.getBoolean(AUTO_CREATE);
        this.autoEvolve = config.getBoolean(AUTO_EVOLVE);
        this.duckDbPath = config.getString(DUCKDB_PATH);
        this.postgresUrl = config.getString(POSTGRESQL_URL);
        this.postgresUser = config.getString(POSTGRESQL_USER);
        this.postgresPassword = config.getPassword(POSTGRESQL_PASSWORD);
    }

    /**
     * Adds the warehouse options.
     *
     * @param defaultDialect the dialect when none is configured ("none" for the lake sink, which can write files only)
     * @param defaultTable   the table when none is configured
     */
    public static ConfigDef addTo(ConfigDef def, String defaultDialect, String defaultTable) {
        int order = 0;
        def
                .define(DIALECT, Type.STRING, defaultDialect,
                        Choices.of("none", "duckdb", "postgresql", "snowflake"),
                        Importance.HIGH, "Warehouse written to: 'none' (files only, lake sink), 'duckdb' (the embedded "
                                + "default), 'postgresql' or 'snowflake'.", GROUP, ++order, Width.SHORT, "Warehouse")
                .define(TABLE, Type.STRING, defaultTable, TableName.validator(), Importance.HIGH,
                        "Target table, [database.][schema.]table; identifiers are validated and quoted (upper-cased for "
                                + "Snowflake, as Snowflake resolves unquoted names).", GROUP, ++order, Width.MEDIUM, "Table")
                .define(AUTO_CREATE, Type.BOOLEAN, true, Importance.MEDIUM,
                        "Create the table from the record schema when it is missing.", GROUP, ++order, Width.SHORT, "Auto create")
                .define(AUTO_EVOLVE, Type.BOOLEAN, true, Importance.MEDIUM,
                        "Add nullable columns when records carry new optional fields.", GROUP, ++order, Width.SHORT, "Auto evolve")
                .define(DUCKDB_PATH, Type.STRING, "", Importance.HIGH,
                        "DuckDB database file (written by this worker process only).", GROUP, ++order, Width.LONG,
                        "DuckDB database file")
                .define(POSTGRESQL_URL, Type.STRING, "", Importance.HIGH,
                        "JDBC URL of the PostgreSQL database, e.g. jdbc:postgresql://db:5432/warehouse.",
                        GROUP, ++order, Width.LONG, "PostgreSQL JDBC URL")
                .define(POSTGRESQL_USER, Type.STRING, "", Importance.HIGH, "PostgreSQL user.",
                        GROUP, ++order, Width.MEDIUM, "PostgreSQL user")
                .define(POSTGRESQL_PASSWORD, Type.PASSWORD, "", Importance.HIGH, "PostgreSQL password (never logged).",
                        GROUP, ++order, Width.MEDIUM, "PostgreSQL password");
        return SnowflakeConfig.addTo(def);
    }

    /**
     * @param loadsFiles whether the sink loads files (the lake sink: Snowflake needs a stage) or writes rows itself
     */
    public static List<FieldError> crossFieldErrors(Map<String, Object> values, boolean loadsFiles) {
        List<FieldError> errors = new ArrayList<>();
        String dialect = String.valueOf(values.get(DIALECT)).toLowerCase(Locale.ROOT);
        switch (dialect) {
            case "duckdb" -> {
                if (String.valueOf(values.getOrDefault(DUCKDB_PATH, "")).isBlank()) {
                    errors.add(new FieldError(DUCKDB_PATH, "warehouse.dialect=duckdb needs the database file"));
                }
            }
            case "postgresql" -> {
                if (!String.valueOf(values.getOrDefault(POSTGRESQL_URL, "")).startsWith("jdbc:postgresql:")) {
                    errors.add(new FieldError(POSTGRESQL_URL, "warehouse.dialect=postgresql needs a jdbc:postgresql:// URL"));
                }
            }
            case "snowflake" -> errors.addAll(SnowflakeConfig.crossFieldErrors(values, loadsFiles, DIALECT));
            default -> { }
        }
        return errors;
    }

    public Dialect dialect() {
        return dialect;
    }

    public TableName table() {
        return table;
    }

    public boolean autoCreate() {
        return autoCreate;
    }

    public boolean autoEvolve() {
        return autoEvolve;
    }

    public String duckDbPath() {
        return duckDbPath;
    }

    public String postgresUrl() {
        return postgresUrl;
    }

    public String postgresUser() {
        return postgresUser;
    }

    public Password postgresPassword() {
        return postgresPassword;
    }

    public SnowflakeConfig snowflake() {
        return snowflake;
    }
}
