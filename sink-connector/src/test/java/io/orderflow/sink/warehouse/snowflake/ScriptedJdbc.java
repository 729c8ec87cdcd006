package io.orderflow.sink.warehouse.snowflake;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A JDBC connection that answers from a script and records every statement: enough to unit-test the loader's
 * decisions (which SQL, in which order, what a result means) where no Snowflake runs.
 */
final class ScriptedJdbc {

    final List<String> executed = new ArrayList<>();
    private final Function<String, Object> script;

    /** @param script the answer to a statement: a list of rows (maps), an SQLException to throw, or null */
    ScriptedJdbc(Function<String, Object> script) {
        this.script = script;
    }

    static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            row.put((String) keyValues[i], keyValues[i + 1]);
        }
        return row;
    }

    Connection connection() {
        return proxy(Connection.class, (method, args) -> switch (method) {
            case "createStatement" -> statement();
            case "close", "setAutoCommit", "commit", "rollback" -> null;
            case "isClosed" -> false;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private Statement statement() {
        return proxy(Statement.class, (method, args) -> switch (method) {
            case "execute" -> {
                answer((String) args[0]);
                yield true;
            }
            case "executeQuery" -> resultSet(answer((String) args[0]));
            case "close" -> null;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> answer(String sql) throws SQLException {
        executed.add(sql);
        Object answer = script.apply(sql);
        if (answer instanceof SQLException e) {
            throw e;
        }
        return answer == null ? List.of() : (List<Map<String, Object>>) answer;
    }

    private static ResultSet resultSet(List<Map<String, Object>> rows) {
        Iterator<Map<String, Object>> iterator = rows.iterator();
        Map<String, Object>[] current = new Map[1];
        return proxy(ResultSet.class, (method, args) -> switch (method) {
            case "next" -> {
                current[0] = iterator.hasNext() ? iterator.next() : null;
                yield current[0] != null;
            }
            case "getString" -> args[0] instanceof Integer i ? String.valueOf(List.copyOf(current[0].values()).get(i - 1))
                    : String.valueOf(current[0].get((String) args[0]));
            case "getLong" -> ((Number) current[0].get((String) args[0])).longValue();
            case "getMetaData" -> proxy(ResultSetMetaData.class, (m, a) -> {
                if (m.equals("getColumnCount")) {
                    return current[0].size();
                }
                throw new UnsupportedOperationException(m);
            });
            case "close" -> null;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    interface Handler {
        Object handle(String method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Handler handler) {
        return (T) Proxy.newProxyInstance(ScriptedJdbc.class.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> handler.handle(method.getName(), args));
    }
}
