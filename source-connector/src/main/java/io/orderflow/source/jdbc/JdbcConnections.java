package io.orderflow.source.jdbc;

import io.orderflow.source.config.JdbcConfig;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * Connections to the orders database. The driver is looked up among those the plugin's own class loader sees (the
 * bundled PostgreSQL driver, or a jar added to the plugin's lib/), not through {@code DriverManager}, which
 * registers drivers once per JVM from whichever class loader asked first: in a worker that is often another
 * plugin's. The password is passed to the driver only, never logged.
 */
public final class JdbcConnections {

    private JdbcConnections() {
    }

    public static Connection open(JdbcConfig config) throws SQLException {
        Driver driver = driverFor(config.url());
        Properties properties = new Properties();
        if (!config.user().isEmpty()) {
            properties.setProperty("user", config.user());
        }
        if (config.password() != null) {
            properties.setProperty("password", config.password());
        }
        Connection connection = driver.connect(config.url(), properties);
        if (connection == null) {
            throw new SQLException("The driver " + driver.getClass().getName() + " does not accept " + config.url(), "08001");
        }
        return connection;
    }

    private static Driver driverFor(String url) throws SQLException {
        for (Driver driver : ServiceLoader.load(Driver.class, JdbcConnections.class.getClassLoader())) {
            if (driver.acceptsURL(url)) {
                return driver;
            }
        }
        throw new SQLException("No JDBC driver for " + url + " in the plugin: the PostgreSQL driver is bundled; for "
                + "another database put its driver jar in the plugin's lib/ directory", "08001");
    }
}
