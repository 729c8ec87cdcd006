package io.orderflow.sink.warehouse.snowflake;

import io.orderflow.common.config.Choices;
import io.orderflow.common.config.FieldError;
import io.orderflow.common.sql.TableName;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Snowflake connection and loading options: key-pair authentication (the private key inline as a PASSWORD or in
 * a file), the session's role, warehouse, database and schema, and how committed files reach the table.
 */
public final class SnowflakeConfig {

    static final String GROUP = "Snowflake";

    static final String URL = "snowflake.url";
    static final String USER = "snowflake.user";
    static final String ROLE = "snowflake.role";
    static final String WAREHOUSE = "snowflake.warehouse";
    static final String DATABASE = "snowflake.database";
    static final String SCHEMA = "snowflake.schema";
    static final String PRIVATE_KEY = "snowflake.private.key";
    static final String PRIVATE_KEY_FILE = "snowflake.private.key.file";
    static final String PRIVATE_KEY_PASSPHRASE = "snowflake.private.key.passphrase";
    static final String LOAD_MODE = "snowflake.load.mode";
    static final String STAGE = "snowflake.stage";
    static final String STAGE_PREFIX = "snowflake.stage.prefix";
    static final String PIPE = "snowflake.pipe";

    private static final Pattern ACCOUNT_URL = Pattern.compile("https://[A-Za-z0-9][A-Za-z0-9._-]*(:\\d{1,5})?/?");

    /** How committed files reach the Snowflake table. */
    public enum LoadMode {
        /** The connector runs COPY INTO for each committed file; Snowflake's load history skips repeats. */
        COPY,
        /** An auto-ingest pipe loads the files; the connector checks at start-up that stage and pipe exist. */
        SNOWPIPE,
        /** Files only. */
        NONE
    }

    private final AbstractConfig config;

    public SnowflakeConfig(AbstractConfig config) {
        this.config = config;
    }

    public static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(URL, Type.STRING, "", Importance.HIGH,
                        "Account URL, https://<account_identifier>.snowflakecomputing.com.", GROUP, ++order, Width.LONG, "Account URL")
                .define(USER, Type.STRING, "", Importance.HIGH, "User, authenticated by key pair.",
                        GROUP, ++order, Width.MEDIUM, "User")
                .define(PRIVATE_KEY, Type.PASSWORD, "", Importance.HIGH,
                        "The user's unencrypted PKCS#8 private key, PEM or its base64 body (never logged). Use this or "
                                + PRIVATE_KEY_FILE + ".", GROUP, ++order, Width.LONG, "Private key")
                .define(PRIVATE_KEY_FILE, Type.STRING, "", Importance.HIGH,
                        "Path on the worker of the user's PKCS#8 private key file, encrypted or not.",
                        GROUP, ++order, Width.LONG, "Private key file")
                .define(PRIVATE_KEY_PASSPHRASE, Type.PASSWORD, "", Importance.MEDIUM,
                        "Passphrase of an encrypted private key file (never logged).", GROUP, ++order, Width.MEDIUM,
                        "Private key passphrase")
                .define(ROLE, Type.STRING, "", identifier(), Importance.MEDIUM, "Role of the session; empty: the user's default.",
                        GROUP, ++order, Width.MEDIUM, "Role")
                .define(WAREHOUSE, Type.STRING, "", identifier(), Importance.HIGH,
                        "Virtual warehouse that runs the loads; empty: the user's default.", GROUP, ++order, Width.MEDIUM,
                        "Virtual warehouse")
                .define(DATABASE, Type.STRING, "", identifier(), Importance.HIGH,
                        "Database of the session, used for names without one.", GROUP, ++order, Width.MEDIUM, "Database")
                .define(SCHEMA, Type.STRING, "", identifier(), Importance.HIGH,
                        "Schema of the session, used for names without one.", GROUP, ++order, Width.MEDIUM, "Schema")
                .define(LOAD_MODE, Type.STRING, "copy", Choices.of("copy", "snowpipe", "none"),
                        Importance.HIGH, "How committed files reach the table: 'copy' (the connector runs COPY INTO per file; "
                                + "Snowflake's 64-day load history makes a repeated COPY of a file a no-op), 'snowpipe' (an "
                                + "auto-ingest pipe on the stage loads them; checked at start-up) or 'none' (files only).",
                        GROUP, ++order, Width.SHORT, "Load mode")
                .define(STAGE, Type.STRING, "", optionalName(), Importance.HIGH,
                        "External stage over the sink's bucket, [database.][schema.]stage.", GROUP, ++order, Width.MEDIUM, "Stage")
                .define(STAGE_PREFIX, Type.STRING, "", Importance.MEDIUM,
                        "The key prefix the stage's URL points at, stripped from file keys: 'lake/' for a stage on "
                                + "s3://bucket/lake/; empty for a stage on the bucket's root.", GROUP, ++order, Width.MEDIUM,
                        "Stage key prefix")
                .define(PIPE, Type.STRING, "", optionalName(), Importance.MEDIUM,
                        "Auto-ingest pipe checked at start-up with load mode 'snowpipe', [database.][schema.]pipe.",
                        GROUP, ++order, Width.MEDIUM, "Pipe");
    }

    /**
     * @param dialectOption the option that chose Snowflake, where a missing driver is reported
     */
    public static List<FieldError> crossFieldErrors(Map<String, Object> values, boolean loadsFiles, String dialectOption) {
        List<FieldError> errors = new ArrayList<>();
        String mode = loadsFiles ? text(values, LOAD_MODE).toLowerCase(Locale.ROOT) : "rows";
        if (!mode.equals("none") && !SnowflakeConnections.driverAvailable()) {
            errors.add(new FieldError(dialectOption, "the Snowflake JDBC driver is not installed: put "
                    + "snowflake-jdbc-<version>.jar (net.snowflake:snowflake-jdbc) into this plugin's directory"));
        }
        if (!ACCOUNT_URL.matcher(text(values, URL)).matches()) {
            errors.add(new FieldError(URL, "warehouse.dialect=snowflake needs the account URL, "
                    + "https://<account_identifier>.snowflakecomputing.com"));
        }
        if (text(values, USER).isBlank()) {
            errors.add(new FieldError(USER, "warehouse.dialect=snowflake needs a user"));
        }
        String inlineKey = values.get(PRIVATE_KEY) instanceof Password p ? p.value() : "";
        String keyFile = text(values, PRIVATE_KEY_FILE);
        if (inlineKey.isBlank() == keyFile.isBlank()) {
            errors.add(new FieldError(PRIVATE_KEY, "set exactly one of " + PRIVATE_KEY + " and " + PRIVATE_KEY_FILE));
        } else if (!inlineKey.isBlank()) {
            try {
                PrivateKeys.parse(inlineKey);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(PRIVATE_KEY, e.getMessage()));
            }
        } else if (!Files.isReadable(Path.of(keyFile))) {
            errors.add(new FieldError(PRIVATE_KEY_FILE, "cannot read " + keyFile + " on this worker"));
        }
        if (loadsFiles && !mode.equals("none") && text(values, STAGE).isBlank()) {
            errors.add(new FieldError(STAGE, LOAD_MODE + "=" + mode + " needs the external stage over the bucket"));
        }
        if (mode.equals("snowpipe") && text(values, PIPE).isBlank()) {
            errors.add(new FieldError(PIPE, LOAD_MODE + "=snowpipe needs the pipe to check"));
        }
        return errors;
    }

    private static String text(Map<String, Object> values, String key) {
        Object value = values.get(key);
        return value == null ? "" : value.toString();
    }

    /** A single identifier (letters, digits, underscores) or empty. */
    private static ConfigDef.Validator identifier() {
        return (name, value) -> {
            String text = String.valueOf(value);
            if (!text.isEmpty() && !text.matches("[A-Za-z_][A-Za-z0-9_$]{0,254}")) {
                throw new ConfigException(name, value, "not an identifier: use letters, digits and underscores");
            }
        };
    }

    private static ConfigDef.Validator optionalName() {
        ConfigDef.Validator name = TableName.validator();
        return (key, value) -> {
            if (!String.valueOf(value).isEmpty()) {
                name.ensureValid(key, value);
            }
        };
    }

    public LoadMode loadMode() {
        return LoadMode.valueOf(config.getString(LOAD_MODE).toUpperCase(Locale.ROOT));
    }

    public String url() {
        return config.getString(URL);
    }

    public String user() {
        return config.getString(USER);
    }

    public Optional<String> role() {
        return nonEmpty(config.getString(ROLE));
    }

    public Optional<String> warehouse() {
        return nonEmpty(config.getString(WAREHOUSE));
    }

    public Optional<String> database() {
        return nonEmpty(config.getString(DATABASE));
    }

    public Optional<String> schema() {
        return nonEmpty(config.getString(SCHEMA));
    }

    public Password privateKey() {
        return config.getPassword(PRIVATE_KEY);
    }

    public Optional<Path> privateKeyFile() {
        return nonEmpty(config.getString(PRIVATE_KEY_FILE)).map(Path::of);
    }

    public Password privateKeyPassphrase() {
        return config.getPassword(PRIVATE_KEY_PASSPHRASE);
    }

    public TableName stage() {
        return TableName.parse(config.getString(STAGE));
    }

    public String stagePrefix() {
        return config.getString(STAGE_PREFIX);
    }

    public TableName pipe() {
        return TableName.parse(config.getString(PIPE));
    }

    private static Optional<String> nonEmpty(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
