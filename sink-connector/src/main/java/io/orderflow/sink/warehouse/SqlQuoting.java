package io.orderflow.sink.warehouse;

import io.orderflow.common.sql.TableName;
import java.util.Locale;

/**
 * How names and text go into the SQL a sink sends: one place for the loaders and the summary table of every
 * warehouse. Names from configuration are validated first ({@link TableName}); field names from record schemas
 * are quoted here, with embedded quotes doubled, so no name can end a statement.
 */
public enum SqlQuoting {

    /** DuckDB and PostgreSQL: names as written, double-quoted; text single-quoted. */
    STANDARD {
        @Override
        public String identifier(String name) {
            return '"' + name.replace("\"", "\"\"") + '"';
        }

        @Override
        public String literal(String text) {
            return "'" + text.replace("'", "''") + "'";
        }
    },

    /** Snowflake: names upper-cased, as Snowflake resolves unquoted names, then quoted; backslashes escaped in text. */
    SNOWFLAKE {
        @Override
        public String identifier(String name) {
            return STANDARD.identifier(name.toUpperCase(Locale.ROOT));
        }

        @Override
        public String literal(String text) {
            return STANDARD.literal(text.replace("\\", "\\\\"));
        }
    };

    public abstract String identifier(String name);

    public abstract String literal(String text);
}
