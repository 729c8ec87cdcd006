package io.orderflow.sink.lake.config;

import io.orderflow.sink.warehouse.TableName;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Loading committed files into a warehouse table: DuckDB or PostgreSQL (Snowflake is still to come). */
public final class WarehouseConfig {

    static final String GROUP = "Warehouse";

    static final String DIALECT = "warehouse.dialect";
    static final String TABLE = "warehouse.table";
    static final String AUTO_CREATE = "warehouse.auto.create";
    static final String AUTO_EVOLVE = "warehouse.auto.evolve";
    static final String DUCKDB_PATH = "duckdb.path";
    static final String POSTGRESQL_URL = "postgresql.url";
    static final String POSTGRESQL_USER = "postgresql.user";
    static final String POSTGRESQL_PASSWORD = "postgresql.password";

    /** The warehouses a lake sink can load into. */
    public enum Dialect { NONE, DUCKDB, POSTGRESQL }

    private final AbstractConfig config;

    WarehouseConfig(AbstractConfig config) {
        this.config = config;
    }

    static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(DIALECT, Type.STRING, "none", ConfigDef.CaseInsensitiveValidString.in("none", "duckdb", "postgresql"),
                        Importance.HIGH, "Warehouse the committed files are loaded into, each exactly once: 'none' (files "
                                + "only), 'duckdb' (the embedded default) or 'postgresql'.", GROUP, ++order, Width.SHORT, "Warehouse")
                .define(TABLE, Type.STRING, "orders_raw", TableName.validator(), Importance.HIGH,
                        "Target table, [database.][schema.]table; identifiers are validated and quoted.",
                        GROUP, ++order, Width.MEDIUM, "Table")
                .define(AUTO_CREATE, Type.BOOLEAN, true, Importance.MEDIUM,
                        "Create the table from the files' schema when it is missing.", GROUP, ++order, Width.SHORT, "Auto create")
                .define(AUTO_EVOLVE, Type.BOOLEAN, true, Importance.MEDIUM,
                        "Add nullable columns when files carry new fields.", GROUP, ++order, Width.SHORT, "Auto evolve")
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
    }

    static List<FieldError> crossFieldErrors(Map<String, Object> values) {
        List<FieldError> errors = new ArrayList<>();
        if ("duckdb".equalsIgnoreCase(String.valueOf(values.get(DIALECT))) && String.valueOf(values.getOrDefault(DUCKDB_PATH, "")).isBlank()) {
            errors.add(new FieldError(DUCKDB_PATH, "warehouse.dialect=duckdb needs the database file"));
        }
        if ("postgresql".equalsIgnoreCase(String.valueOf(values.get(DIALECT)))
                && !String.valueOf(values.getOrDefault(POSTGRESQL_URL, "")).startsWith("jdbc:postgresql:")) {
            errors.add(new FieldError(POSTGRESQL_URL, "warehouse.dialect=postgresql needs a jdbc:postgresql:// URL"));
        }
        return errors;
    }

    public Dialect dialect() {
        return Dialect.valueOf(config.getString(DIALECT).toUpperCase(Locale.ROOT));
    }

    public TableName table() {
        return TableName.parse(config.getString(TABLE));
    }

    public boolean autoCreate() {
        return config.getBoolean(AUTO_CREATE);
    }

    public boolean autoEvolve() {
        return config.getBoolean(AUTO_EVOLVE);
    }

    public String duckDbPath() {
        return config.getString(DUCKDB_PATH);
    }

    public String postgresUrl() {
        return config.getString(POSTGRESQL_URL);
    }

    public String postgresUser() {
        return config.getString(POSTGRESQL_USER);
    }

    public org.apache.kafka.common.config.types.Password postgresPassword() {
        return config.getPassword(POSTGRESQL_PASSWORD);
    }
}
