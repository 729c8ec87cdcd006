package io.orderflow.sink.warehouse.snowflake;

import io.orderflow.sink.warehouse.WarehouseException;
import io.orderflow.sink.warehouse.snowflake.SnowflakeConfig;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Opens key-pair authenticated JDBC sessions to Snowflake. The driver (85–99 MB) is not bundled: it is looked up
 * by class name in this plugin's class loader, under its 4.x and 3.x names, so no Snowflake class is compiled in.
 */
public final class SnowflakeConnections {

    private static final List<String> DRIVER_CLASSES = List.of(
            "net.snowflake.client.api.driver.SnowflakeDriver", "net.snowflake.client.jdbc.SnowflakeDriver");

    private SnowflakeConnections() {
    }

    public static boolean driverAvailable() {
        return driver().isPresent();
    }

    private static Optional<Driver> driver() {
        for (String name : DRIVER_CLASSES) {
            try {
                Class<?> type = Class.forName(name, true, SnowflakeConnections.class.getClassLoader());
                return Optional.of((Driver) type.getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | LinkageError e) {
                // try the next name
            }
        }
        return Optional.empty();
    }

    /** jdbc:snowflake://host[:port]/ from the account URL https://host[:port][/]. */
    static String jdbcUrl(String accountUrl) {
        String host = accountUrl.replaceFirst("^https://", "").replaceAll("/+$", "");
        return "jdbc:snowflake://" + host + "/";
    }

    /** The session properties; the private key goes in as a key object or a file path, never as logged text. */
    static Properties properties(SnowflakeConfig config) {
        Properties properties = new Properties();
        properties.setProperty("user", config.user());
        properties.setProperty("authenticator", "SNOWFLAKE_JWT");
        config.role().ifPresent(role -> properties.setProperty("role", role));
        config.warehouse().ifPresent(warehouse -> properties.setProperty("warehouse", warehouse));
        config.database().ifPresent(database -> properties.setProperty("db", database));
        config.schema().ifPresent(schema -> properties.setProperty("schema", schema));
        if (config.privateKeyFile().isPresent()) {
            properties.setProperty("private_key_file", config.privateKeyFile().get().toString());
            String passphrase = config.privateKeyPassphrase().value();
            if (!passphrase.isEmpty()) {
                properties.setProperty("private_key_file_pwd", passphrase);
            }
        } else {
            properties.put("privateKey", PrivateKeys.parse(config.privateKey().value()));
        }
        // Arrow result sets need --add-opens on Java 17; the loader reads only a few small result sets.
        properties.setProperty("JDBC_QUERY_RESULT_FORMAT", "JSON");
        return properties;
    }

    public static Connection open(SnowflakeConfig config) {
        Driver driver = driver().orElseThrow(() -> new WarehouseException("The Snowflake JDBC driver is not installed: "
                + "put snowflake-jdbc-<version>.jar into this plugin's directory", null, false));
        try {
            Connection connection = driver.connect(jdbcUrl(config.url()), properties(config));
            if (connection == null) {
                throw new WarehouseException("The Snowflake driver refused the URL " + jdbcUrl(config.url()), null, false);
            }
            return connection;
        } catch (SQLException e) {
            throw SnowflakeErrors.translate("Cannot connect to Snowflake at " + config.url() + " as " + config.user(), e);
        }
    }
}
