package io.orderflow.common.sql;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.regex.Pattern;

/**
 * A column name from configuration: one identifier of letters, digits and underscores, refused otherwise at
 * configuration time and always quoted in SQL (as written: a quoted name keeps its case), so configuration can
 * never inject SQL.
 */
public record ColumnName(String name) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    public ColumnName {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a column name: use letters, digits and underscores");
        }
    }

    /** The name quoted with the database's quote string (from {@code DatabaseMetaData.getIdentifierQuoteString}). */
    public String quoted(String quote) {
        return quote + name + quote;
    }

    @Override
    public String toString() {
        return name;
    }

    public static ConfigDef.Validator validator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String option, Object value) {
                try {
                    new ColumnName(value == null ? null : value.toString());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(option, value, e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "a column name of letters, digits and underscores";
            }
        };
    }
}
