package io.orderflow.source.jdbc;

import io.orderflow.common.sql.ColumnName;
import io.orderflow.common.sql.TableName;
import io.orderflow.source.config.CursorConfig;
import io.orderflow.source.config.CursorFence;
import io.orderflow.source.config.JdbcConfig;
import io.orderflow.source.event.OrderEventSchema;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The orders table as the database describes it: that it exists, that every mapped column does, and the types
 * the reader converts from (the amount's precision and scale, timestamps with or without a time zone, an integer
 * or text cursor id). Read once when a task starts and by {@code validate()}, never per row.
 */
public final class OrderTable {

    /** PostgreSQL reports an unconstrained numeric with this precision. */
    private static final int MAX_DECLARED_PRECISION = 1000;

    /** How a column's values are read and bound. */
    enum Kind { TEXT, INTEGER, DECIMAL, TIMESTAMP, TIMESTAMP_TZ, XID8, OTHER }

    private record Column(String name, Kind kind, int precision, int scale) {
    }

    private final TableName table;
    private final String quote;
    private final boolean view;
    private final Map<String, Column> columns;
    private final int amountPrecision;
    private final int amountScale;

    private OrderTable(TableName table, String quote, boolean view, Map<String, Column> columns, int amountPrecision,
                       int amountScale) {
        this.table = table;
        this.quote = quote;
        this.view = view;
        this.columns = columns;
        this.amountPrecision = amountPrecision;
        this.amountScale = amountScale;
    }

    /** @throws TableProblem on the option that names what the database lacks */
    public static OrderTable inspect(Connection connection, JdbcConfig config) throws SQLException, TableProblem {
        DatabaseMetaData metadata = connection.getMetaData();
        TableName table = config.table();
        List<String> parts = table.parts();
        String schema = parts.size() >= 2 ? parts.get(parts.size() - 2) : null;
        String catalog = parts.size() == 3 ? parts.get(0) : null;
        boolean found = false;
        boolean view = false;
        try (ResultSet tables = metadata.getTables(catalog, schema, table.table(), null)) {
            while (tables.next()) {
                found = true;
                view = String.valueOf(tables.getString("TABLE_TYPE")).toUpperCase(Locale.ROOT).contains("VIEW");
            }
        }
        if (!found) {
            throw new TableProblem(JdbcConfig.TABLE, "No table or view " + table + " in " + config.url()
                    + " (names are case-sensitive: quoted as written)");
        }
        Map<String, Column> described = new HashMap<>();
        try (ResultSet rs = metadata.getColumns(catalog, schema, table.table(), null)) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME");
                described.put(name, new Column(name, kind(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME")),
                        rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS")));
            }
        }
        Map<String, Column> mapped = new HashMap<>();
        for (String field : JdbcConfig.FIELDS) {
            mapped.put(field, require(described, config.column(field), JdbcConfig.COLUMN_PREFIX + field, table));
        }
        mapped.put(CursorConfig.TIMESTAMP_COLUMN, require(described, config.cursor().timestampColumn(),
                CursorConfig.TIMESTAMP_COLUMN, table));
        mapped.put(CursorConfig.ID_COLUMN, require(described, config.cursor().idColumn(), CursorConfig.ID_COLUMN, table));
        if (config.cursor().xidColumn().isPresent()) {
            Column xid = require(described, config.cursor().xidColumn().get(), CursorConfig.XID_COLUMN, table);
            if (xid.kind() != Kind.XID8) {
                throw new TableProblem(CursorConfig.XID_COLUMN, "Column " + xid.name() + " of " + table
                        + " must be of type xid8 (filled with pg_current_xact_id()), is another type");
            }
            mapped.put(CursorConfig.XID_COLUMN, xid);
        } else if (view && config.cursor().fence() == CursorFence.SNAPSHOT) {
            throw new TableProblem(CursorConfig.XID_COLUMN, table + " is a view, and a view has no xmin: expose the base "
                    + "table's xmin (or an xid8 column) in the view and name it here");
        }
        requireKind(mapped, CursorConfig.TIMESTAMP_COLUMN, CursorConfig.TIMESTAMP_COLUMN, "a timestamp",
                Kind.TIMESTAMP, Kind.TIMESTAMP_TZ);
        requireKind(mapped, OrderEventSchema.EVENT_TIME, JdbcConfig.COLUMN_PREFIX + OrderEventSchema.EVENT_TIME,
                "a timestamp", Kind.TIMESTAMP, Kind.TIMESTAMP_TZ);
        requireKind(mapped, CursorConfig.ID_COLUMN, CursorConfig.ID_COLUMN, "an integer or text",
                Kind.INTEGER, Kind.TEXT);
        requireKind(mapped, OrderEventSchema.AMOUNT, JdbcConfig.COLUMN_PREFIX + OrderEventSchema.AMOUNT,
                "a numeric (decimal) or integer", Kind.DECIMAL, Kind.INTEGER);
        Column amount = mapped.get(OrderEventSchema.AMOUNT);
        boolean unconstrained = amount.kind() == Kind.DECIMAL && (amount.precision() <= 0 || amount.precision() > MAX_DECLARED_PRECISION);
        int scale;
        if (config.amountScale().isPresent()) {
            scale = config.amountScale().getAsInt();
        } else if (unconstrained) {
            throw new TableProblem(JdbcConfig.COLUMN_PREFIX + OrderEventSchema.AMOUNT, "Column " + amount.name() + " of " + table
                    + " is a numeric declared without precision and scale: its values may have any number of decimal "
                    + "places, so set " + JdbcConfig.AMOUNT_SCALE + " to the scale the records carry (2 for cents)");
        } else {
            scale = amount.kind() == Kind.INTEGER ? 0 : amount.scale();
        }
        int precision = unconstrained || amount.kind() == Kind.INTEGER ? 38 : Math.max(amount.precision(), scale);
        return new OrderTable(table, quoteString(metadata), view, Map.copyOf(mapped), precision, scale);
    }

    private static Column require(Map<String, Column> described, ColumnName column, String option, TableName table)
            throws TableProblem {
        Column found = described.get(column.name());
        if (found == null) {
            throw new TableProblem(option, "No column " + column + " in " + table + " (it has " + described.keySet()
                    + "; names are case-sensitive)");
        }
        return found;
    }

    private static void requireKind(Map<String, Column> mapped, String key, String option, String expected, Kind... kinds)
            throws TableProblem {
        Column column = mapped.get(key);
        if (!List.of(kinds).contains(column.kind())) {
            throw new TableProblem(option, "Column " + column.name() + " must be " + expected + " column, is " + column.kind()
                    .name().toLowerCase(Locale.ROOT));
        }
    }

    private static Kind kind(int sqlType, String typeName) {
        String type = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        if (type.equals("xid8")) {
            return Kind.XID8;
        }
        if (type.equals("timestamptz") || sqlType == Types.TIMESTAMP_WITH_TIMEZONE || type.contains("with time zone")) {
            return Kind.TIMESTAMP_TZ;
        }
        return switch (sqlType) {
            case Types.TIMESTAMP -> Kind.TIMESTAMP;
            case Types.NUMERIC, Types.DECIMAL -> Kind.DECIMAL;
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> Kind.INTEGER;
            case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.NVARCHAR, Types.NCHAR, Types.CLOB -> Kind.TEXT;
            default -> type.equals("text") || type.equals("uuid") ? Kind.TEXT : Kind.OTHER;
        };
    }

    private static String quoteString(DatabaseMetaData metadata) throws SQLException {
        String quote = metadata.getIdentifierQuoteString();
        return quote == null || quote.isBlank() ? "\"" : quote.trim();
    }

    /** The table's name quoted for this database. */
    public String quotedTable() {
        return String.join(".", table.parts().stream().map(part -> quote + part + quote).toList());
    }

    /** A mapped column (a record field, or a cursor option's key) quoted for this database. */
    public String quoted(String key) {
        return quote + columns.get(key).name() + quote;
    }

    public boolean isView() {
        return view;
    }

    Kind kind(String key) {
        return columns.get(key).kind();
    }

    public int amountPrecision() {
        return amountPrecision;
    }

    public int amountScale() {
        return amountScale;
    }

    public String name() {
        return table.toString();
    }
}
