package io.orderflow.source.jdbc;

import io.orderflow.common.config.FieldError;
import io.orderflow.source.config.CursorConfig;
import io.orderflow.source.config.CursorFence;
import io.orderflow.source.config.JdbcConfig;
import io.orderflow.source.config.OrderSourceConfig;
import io.orderflow.source.config.SourceReader;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * {@code validate()} for {@code reader=jdbc}: connects with the configuration as given and reports what the
 * database refuses on the option that causes it — the URL, the credentials, a missing table or column, an amount
 * without a scale, a server too old for the snapshot fence, missing read permission.
 */
public final class JdbcValidation {

    /** PostgreSQL 13 brought pg_current_snapshot() and pg_visible_in_snapshot(). */
    private static final int SNAPSHOT_FUNCTIONS_MAJOR = 13;

    private JdbcValidation() {
    }

    /** No errors when the reader is not jdbc or options are already in error (those messages say enough). */
    public static List<FieldError> errors(Config validated, Map<String, String> props) {
        boolean clean = validated.configValues().stream().allMatch(value -> value.errorMessages().isEmpty());
        if (!clean) {
            return List.of();
        }
        JdbcConfig config;
        try {
            config = new OrderSourceConfig(props).jdbc();
        } catch (ConfigException e) {
            return List.of();
        }
        if (config.reader() != SourceReader.JDBC) {
            return List.of();
        }
        try (Connection db = JdbcConnections.open(config)) {
            if (config.cursor().fence() == CursorFence.SNAPSHOT && db.getMetaData().getDatabaseMajorVersion() < SNAPSHOT_FUNCTIONS_MAJOR) {
                return List.of(new FieldError(CursorConfig.FENCE, "The snapshot fence needs PostgreSQL "
                        + SNAPSHOT_FUNCTIONS_MAJOR + " or later; the server is " + db.getMetaData().getDatabaseProductVersion()
                        + ": use safety-lag"));
            }
            OrderTable table = OrderTable.inspect(db, config);
            try (Statement probe = db.createStatement()) {
                probe.executeQuery("SELECT * FROM " + table.quotedTable() + " WHERE 1 = 0").close();
            }
            return List.of();
        } catch (TableProblem e) {
            return List.of(new FieldError(e.option(), e.getMessage()));
        } catch (SQLException e) {
            return List.of(connectionError(config, e));
        }
    }

    private static FieldError connectionError(JdbcConfig config, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() + " (SQLState " + state + ")";
        if (state.equals("28P01") || state.equals("28000") && message.toLowerCase().contains("password")) {
            return new FieldError(JdbcConfig.PASSWORD, "The database refuses the password for user '" + config.user() + "': "
                    + message);
        }
        if (state.startsWith("28")) {
            return new FieldError(JdbcConfig.USER, "The database refuses user '" + config.user() + "': " + message);
        }
        if (state.equals("42501")) {
            return new FieldError(JdbcConfig.TABLE, "User '" + config.user() + "' may not read " + config.table() + ": " + message);
        }
        return new FieldError(JdbcConfig.URL, "Cannot connect to " + config.url() + ": " + message);
    }
}
