package io.orderflow.common.sql;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A table name from configuration: one to three dot-separated identifiers ([database.][schema.]table) of
 * letters, digits and underscores. Anything else — quotes, semicolons, spaces — is refused at configuration
 * time, and the parts are always quoted in SQL, so configuration can never inject SQL.
 */
public record TableName(List<String> parts) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    public static TableName parse(String text) {
        List<String> parts = Arrays.asList(text.split("\\.", -1));
        if (parts.isEmpty() || parts.size() > 3 || !parts.stream().allMatch(p -> IDENTIFIER.matcher(p).matches())) {
            throw new IllegalArgumentException("'" + text + "' is not a table name: use [database.][schema.]table with "
                    + "letters, digits and underscores");
        }
        return new TableName(List.copyOf(parts));
    }

    /** The name quoted for SQL: "db"."schema"."table". */
    public String quoted() {
        return parts.stream().map(p -> '"' + p + '"').collect(Collectors.joining("."));
    }

    /** The last part, the table itself. */
    public String table() {
        return parts.get(parts.size() - 1);
    }

    /** As configured: schema.table. */
    @Override
    public String toString() {
        return String.join(".", parts);
    }

    public static ConfigDef.Validator validator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                try {
                    parse(String.valueOf(value));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "[database.][schema.]table of letters, digits and underscores";
            }
        };
    }
}
