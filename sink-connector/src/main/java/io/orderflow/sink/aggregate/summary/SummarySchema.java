package io.orderflow.sink.aggregate.summary;

import io.orderflow.sink.warehouse.WarehouseErrors;
import io.orderflow.sink.warehouse.WarehouseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Creates the summary and offsets tables, or adds the value columns an existing summary lacks. Key columns (the
 * window and group-by) never change on an existing table: rows keyed otherwise could not be upserted.
 */
final class SummarySchema {

    private static final Logger log = LoggerFactory.getLogger(SummarySchema.class);

    private SummarySchema() {
    }

    static void prepare(Statement statement, AggregateDialect sql, SummaryLayout layout, boolean autoCreate,
                        boolean autoEvolve) throws SQLException {
        Set<String> existing = new HashSet<>();
        try (ResultSet rs = statement.executeQuery(sql.listColumns(layout))) {
            while (rs.next()) {
                existing.add(rs.getString(1).toLowerCase(Locale.ROOT));
            }
        }
        if (existing.isEmpty()) {
            if (!autoCreate) {
                throw new WarehouseException("Summary table " + layout.table().quoted() + " does not exist and "
                        + "warehouse.auto.create=false", null, false);
            }
            WarehouseErrors.executeDdl(statement, sql.createSummary(layout));
        } else {
            for (SummaryLayout.Column column : layout.tableColumns()) {
                if (!existing.contains(column.name().toLowerCase(Locale.ROOT))) {
                    if (!autoEvolve || layout.keyColumns().contains(column.name())) {
                        throw new WarehouseException("Summary table " + layout.table().quoted() + " lacks column "
                                + column.name() + (layout.keyColumns().contains(column.name())
                                ? ", a key column: group.by cannot change on an existing table"
                                : " and warehouse.auto.evolve=false"), null, false);
                    }
                    WarehouseErrors.executeDdl(statement, sql.addColumn(layout, column));
                    log.info("Added column {} to {}", column.name(), layout.table().quoted());
                }
            }
        }
        WarehouseErrors.executeDdl(statement, sql.createOffsets(layout));
    }
}
