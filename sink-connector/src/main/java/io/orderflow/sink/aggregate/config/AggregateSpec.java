package io.orderflow.sink.aggregate.config;

import io.orderflow.common.sql.TableName;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One output column of the summary: {@code column=function(field)}, with function count, sum, min, max or avg.
 * {@code count} without a field counts records; with one, records where the field is not null.
 */
public record AggregateSpec(String column, Function function, String field) {

    /** What an aggregate computes; every one of them combines per-flush deltas into the stored row exactly. */
    public enum Function { COUNT, SUM, MIN, MAX, AVG }

    private static final Pattern ITEM = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*([A-Za-z]+)\\s*(?:\\(\\s*([A-Za-z_][A-Za-z0-9_.]*|\\*)?\\s*\\))?\\s*");

    /** Parses {@code total_orders=count, total_revenue=sum(amount), ...}; errors name the offending item. */
    public static List<AggregateSpec> parseAll(List<String> items) {
        List<AggregateSpec> specs = new ArrayList<>();
        Set<String> columns = new HashSet<>();
        for (String item : items) {
            Matcher m = ITEM.matcher(item);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + item + "' is not column=function(field), e.g. total_revenue=sum(amount)");
            }
            Function function;
            try {
                function = Function.valueOf(m.group(2).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + item + "': unknown function " + m.group(2) + " (count, sum, min, max, avg)");
            }
            String field = m.group(3) == null || m.group(3).equals("*") ? null : m.group(3);
            if (field == null && function != Function.COUNT) {
                throw new IllegalArgumentException("'" + item + "': " + m.group(2) + " needs a field, e.g. " + m.group(2) + "(amount)");
            }
            TableName.parse(m.group(1));
            if (!columns.add(m.group(1).toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("'" + item + "': column " + m.group(1) + " appears twice");
            }
            specs.add(new AggregateSpec(m.group(1), function, field));
        }
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("at least one aggregate is needed");
        }
        return List.copyOf(specs);
    }

    /** Hidden running sum behind an average, so the average is always the exact sum over the exact count. */
    public String sumColumn() {
        return "_" + column + "_sum";
    }

    /** Hidden running count behind an average. */
    public String countColumn() {
        return "_" + column + "_count";
    }
}
