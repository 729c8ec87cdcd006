package io.orderflow.sink.warehouse;

import io.orderflow.common.sql.TableName;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import io.orderflow.sink.warehouse.config.WarehouseConfig.Dialect;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Loads Parquet files into a PostgreSQL table with {@code COPY ... FROM STDIN}. The load-history row is claimed
 * first ({@code INSERT ... ON CONFLICT DO NOTHING}) in the same transaction as the rows, so two tasks racing for
 * one file cannot both load it, and a file seen before is skipped.
 */
public final class PostgresLoader implements WarehouseLoader {

    private static final Logger log = LoggerFactory.getLogger(PostgresLoader.class);
    private static final String HISTORY = "\"_orderflow_load_history\"";
    private static final int COPY_CHUNK_ROWS = 10_000;

    private final String url;
    private final Properties credentials;
    private final TableName table;
    private final boolean autoCreate;
    private final boolean autoEvolve;
    private Connection connection;

    public PostgresLoader(String url, String user, String password, TableName table, boolean autoCreate, boolean autoEvolve) {
        this.url = url;
        this.credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        this.table = table;
        this.autoCreate = autoCreate;
        this.autoEvolve = autoEvolve;
    }

    @Override
    public boolean load(String fileKey, Path localFile) {
        try {
            Connection db = connection();
            db.setAutoCommit(false);
            try {
                try (PreparedStatement claim = db.prepareStatement("INSERT INTO " + HISTORY
                        + " (file, target, row_count) VALUES (?, ?, 0) ON CONFLICT (file) DO NOTHING")) {
                    claim.setString(1, fileKey);
                    claim.setString(2, table.quoted());
                    if (claim.executeUpdate() == 0) {
                        db.rollback();
                        return false;
                    }
                }
                long rows = copy(db, localFile);
                try (PreparedStatement count = db.prepareStatement("UPDATE " + HISTORY + " SET row_count = ? WHERE file = ?")) {
                    count.setLong(1, rows);
                    count.setString(2, fileKey);
                    count.executeUpdate();
                }
                db.commit();
                log.debug("Loaded {} rows of {} into {}", rows, fileKey, table.quoted());
                return true;
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(db);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(fileKey, e);
        } catch (IOException e) {
            throw new WarehouseException("Cannot read " + localFile + " to load " + fileKey + ": " + e.getMessage(), e, false);
        }
    }

    @Override
    public void recordFailure(String fileKey, String error) {
        try (PreparedStatement failed = connection().prepareStatement("INSERT INTO " + HISTORY
                + " (file, target, row_count, status, error) VALUES (?, ?, 0, 'FAILED', ?) ON CONFLICT (file) DO NOTHING")) {
            failed.setString(1, fileKey);
            failed.setString(2, table.quoted());
            failed.setString(3, error.replace('\u0000', ' '));
            failed.executeUpdate();
        } catch (SQLException e) {
            throw translate(fileKey, e);
        }
    }

    private long copy(Connection db, Path localFile) throws SQLException, IOException {
        // An explicit data model: without one parquet-avro looks for a data supplier through a Hadoop
        // Configuration, which parses Hadoop's XML resources for every file (29 % of the commit thread).
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                new LocalInputFile(localFile), new PlainParquetConfiguration()).withDataModel(GenericData.get()).build()) {
            GenericRecord first = reader.read();
            if (first == null) {
                return 0;
            }
            List<Schema.Field> fields = first.getSchema().getFields();
            prepareTable(db, fields);
            String columns = String.join(", ", fields.stream().map(f -> SqlQuoting.STANDARD.identifier(f.name())).toList());
            String sql = "COPY " + table.quoted() + " (" + columns + ") FROM STDIN WITH (FORMAT csv)";
            long rows = 0;
            PostgresCsvRows encoder = new PostgresCsvRows(fields);
            StringBuilder csv = new StringBuilder();
            int buffered = 0;
            for (GenericRecord record = first; record != null; record = reader.read()) {
                encoder.append(csv, record);
                buffered++;
                if (buffered == COPY_CHUNK_ROWS) {
                    rows += db.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(csv.toString()));
                    csv.setLength(0);
                    buffered = 0;
                }
            }
            if (buffered > 0) {
                rows += db.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(csv.toString()));
            }
            return rows;
        }
    }

    private void prepareTable(Connection db, List<Schema.Field> fields) throws SQLException {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (Schema.Field field : fields) {
            wanted.put(field.name(), columnType(field.schema()));
        }
        Set<String> existing = new HashSet<>();
        try (PreparedStatement query = db.prepareStatement("SELECT column_name FROM information_schema.columns "
                + "WHERE table_name = ?" + (table.parts().size() > 1 ? " AND table_schema = ?" : " AND table_schema = current_schema()"))) {
            query.setString(1, table.table());
            if (table.parts().size() > 1) {
                query.setString(2, table.parts().get(table.parts().size() - 2));
            }
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    existing.add(rs.getString(1));
                }
            }
        }
        try (Statement statement = db.createStatement()) {
            if (existing.isEmpty()) {
                if (!autoCreate) {
                    throw new WarehouseException("Table " + table.quoted() + " does not exist and warehouse.auto.create=false", null, false);
                }
                List<String> columns = new ArrayList<>();
                wanted.forEach((name, type) -> columns.add(SqlQuoting.STANDARD.identifier(name) + " " + type));
                WarehouseErrors.executeDdl(statement, "CREATE TABLE IF NOT EXISTS " + table.quoted() + " (" + String.join(", ", columns) + ")");
                return;
            }
            for (Map.Entry<String, String> column : wanted.entrySet()) {
                if (!existing.contains(column.getKey())) {
                    if (!autoEvolve) {
                        throw new WarehouseException("Table " + table.quoted() + " lacks column " + column.getKey()
                                + " and warehouse.auto.evolve=false", null, false);
                    }
                    WarehouseErrors.executeDdl(statement, "ALTER TABLE " + table.quoted() + " ADD COLUMN IF NOT EXISTS "
                            + SqlQuoting.STANDARD.identifier(column.getKey()) + " " + column.getValue());
                }
            }
        }
    }

    /** PostgreSQL column type of an Avro field; columns are nullable, so evolution can always add them. */
    static String columnType(Schema schema) {
        Schema type = ParquetColumns.nonNull(schema);
        LogicalType logical = type.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return "NUMERIC(" + decimal.getPrecision() + ", " + decimal.getScale() + ")";
        }
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros) {
            return "TIMESTAMPTZ";
        }
        if (logical instanceof LogicalTypes.Date) {
            return "DATE";
        }
        if (logical instanceof LogicalTypes.TimeMillis || logical instanceof LogicalTypes.TimeMicros) {
            return "TIME";
        }
        return switch (type.getType()) {
            case STRING, ENUM -> "TEXT";
            case INT -> "INTEGER";
            case LONG -> "BIGINT";
            case FLOAT -> "REAL";
            case DOUBLE -> "DOUBLE PRECISION";
            case BOOLEAN -> "BOOLEAN";
            case BYTES, FIXED -> "BYTEA";
            default -> "JSONB";
        };
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed() || !connection.isValid(2)) {
            Connection opened = DriverManager.getConnection(url, credentials);
            try (Statement statement = opened.createStatement()) {
                WarehouseErrors.executeDdl(statement, "CREATE TABLE IF NOT EXISTS " + HISTORY + " (file TEXT PRIMARY KEY, target TEXT NOT NULL, "
                        + "row_count BIGINT NOT NULL, loaded_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
                        + "status TEXT NOT NULL DEFAULT 'LOADED', error TEXT)");
            } catch (SQLException | RuntimeException e) {
                opened.close();
                throw e;
            }
            connection = opened;
        }
        return connection;
    }

    private static void rollbackQuietly(Connection db) {
        try {
            db.rollback();
        } catch (SQLException e) {
            log.debug("Rollback failed", e);
        }
    }

    private WarehouseException translate(String fileKey, SQLException e) {
        WarehouseException failure = WarehouseErrors.translate(Dialect.POSTGRESQL, "Cannot load " + fileKey + " into " + table.quoted(), e);
        connection = failure.retriable() ? null : connection;
        return failure;
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Ignoring failure closing a PostgreSQL connection", e);
            }
        }
    }
}
