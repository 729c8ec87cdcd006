package io.orderflow.source.jdbc;

import io.orderflow.source.config.CursorConfig;
import io.orderflow.source.config.JdbcConfig;
import io.orderflow.source.config.OutputConfig;
import io.orderflow.source.config.UnknownStatusPolicy;
import io.orderflow.source.event.AmountType;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.source.event.OrderStatus;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One row version as an order event value, checked against the schema it is written into: required fields
 * present, the amount within the schema's precision and scale, the status one the mapping knows. A row that does
 * not fit is a {@link DataException} naming the row, the column and the value.
 */
final class RowConverter {

    /** What a row became: a value, or nothing (an unknown status skipped by policy). */
    record Row(Struct value, String key, long eventTimeMs, Instant cursorTimestamp, Object cursorId) {
    }

    private final OrderTable table;
    private final AmountType amountType;
    private final Schema schema;
    private final Map<String, String> statuses;
    private final UnknownStatusPolicy unknownStatus;

    RowConverter(OrderTable table, JdbcConfig config, OutputConfig output) {
        this.table = table;
        this.amountType = output.amountType();
        this.schema = OrderEventSchema.valueSchema(amountType, table.amountPrecision(), table.amountScale(), output.schemaDocs());
        Map<String, String> lookup = new HashMap<>();
        for (OrderStatus status : OrderStatus.values()) {
            lookup.put(status.name().toLowerCase(Locale.ROOT), status.name());
        }
        config.statusMapping().forEach((value, status) -> lookup.put(value.toLowerCase(Locale.ROOT), status));
        this.statuses = Map.copyOf(lookup);
        this.unknownStatus = config.unknownStatus();
    }

    Schema schema() {
        return schema;
    }

    /** The row's cursor position, read before anything else so that even a bad row can be passed. */
    Instant cursorTimestamp(ResultSet rs) throws SQLException {
        return instant(rs, PageQuery.CURSOR_TIMESTAMP, CursorConfig.TIMESTAMP_COLUMN);
    }

    Object cursorId(ResultSet rs) throws SQLException {
        return table.kind(CursorConfig.ID_COLUMN) == OrderTable.Kind.INTEGER ? (Object) rs.getLong(PageQuery.CURSOR_ID)
                : rs.getString(PageQuery.CURSOR_ID);
    }

    /**
     * @return the row, or null when its status is unknown and the policy skips it
     * @throws DataException when the row does not fit the record schema (or its status is unknown, policy fail)
     */
    Row convert(ResultSet rs, Instant cursorTimestamp, Object cursorId) throws SQLException {
        // Named only in an error: building the text for every row would cost more than converting it.
        Supplier<String> where = () -> "Row " + table.name() + " (" + cursorTimestamp + ", " + cursorId + ")";
        String orderId = required(rs.getString(PageQuery.ORDER_ID), OrderEventSchema.ORDER_ID, where);
        String customerId = required(rs.getString(PageQuery.CUSTOMER_ID), OrderEventSchema.CUSTOMER_ID, where);
        String currency = required(rs.getString(PageQuery.CURRENCY), OrderEventSchema.CURRENCY, where);
        BigDecimal amount = amount(rs.getBigDecimal(PageQuery.AMOUNT), where);
        String status = status(required(rs.getString(PageQuery.STATUS), OrderEventSchema.STATUS, where), where);
        if (status == null) {
            return null;
        }
        Instant eventTime = instant(rs, PageQuery.EVENT_TIME, OrderEventSchema.EVENT_TIME);
        if (eventTime == null) {
            throw new DataException(where.get() + ": column " + table.quoted(OrderEventSchema.EVENT_TIME) + " (field '"
                    + OrderEventSchema.EVENT_TIME + "') is null; the field is required");
        }
        Struct value = new Struct(schema)
                .put(OrderEventSchema.ORDER_ID, orderId)
                .put(OrderEventSchema.CUSTOMER_ID, customerId)
                .put(OrderEventSchema.CURRENCY, currency)
                .put(OrderEventSchema.STATUS, status)
                .put(OrderEventSchema.EVENT_TIME, Date.from(eventTime));
        value.put(OrderEventSchema.AMOUNT, amountType == AmountType.DOUBLE ? (Object) amount.doubleValue() : amount);
        return new Row(value, orderId, eventTime.toEpochMilli(), cursorTimestamp, cursorId);
    }

    private String required(String value, String field, Supplier<String> where) {
        if (value == null) {
            throw new DataException(where.get() + ": column " + table.quoted(field) + " (field '" + field + "') is null; the "
                    + "field is required");
        }
        return value;
    }

    private BigDecimal amount(BigDecimal value, Supplier<String> where) {
        if (value == null) {
            throw new DataException(where.get() + ": column " + table.quoted(OrderEventSchema.AMOUNT) + " (field 'amount') is null; "
                    + "the field is required");
        }
        BigDecimal scaled;
        try {
            scaled = value.setScale(table.amountScale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new DataException(where.get() + ": 'amount' = " + value.toPlainString() + " has more than " + table.amountScale()
                    + " decimal places (" + JdbcConfig.AMOUNT_SCALE + ")");
        }
        if (scaled.precision() > table.amountPrecision()) {
            throw new DataException(where.get() + ": 'amount' = " + value.toPlainString() + " has more than "
                    + table.amountPrecision() + " digits");
        }
        return scaled;
    }

    private String status(String value, Supplier<String> where) {
        String status = statuses.get(value.trim().toLowerCase(Locale.ROOT));
        if (status != null) {
            return status;
        }
        return switch (unknownStatus) {
            case PASS -> value;
            case SKIP -> null;
            case FAIL -> throw new DataException(where.get() + ": status '" + value + "' maps to no order status; map it with "
                    + JdbcConfig.STATUS_MAPPING + " or set " + JdbcConfig.STATUS_UNKNOWN + " to skip or pass");
        };
    }

    private Instant instant(ResultSet rs, int index, String key) throws SQLException {
        if (table.kind(key) == OrderTable.Kind.TIMESTAMP_TZ) {
            OffsetDateTime value = rs.getObject(index, OffsetDateTime.class);
            return value == null ? null : value.toInstant();
        }
        LocalDateTime value = rs.getObject(index, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
