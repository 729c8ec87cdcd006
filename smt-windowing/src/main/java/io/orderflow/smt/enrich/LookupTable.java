package io.orderflow.smt.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable lookup table: key → (column → value). Loaded from CSV (a header row, one row per key) or JSON
 * (an object of key → object, or an array of objects carrying the key column).
 */
final class LookupTable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> columns;
    private final Map<String, Map<String, String>> rows;

    private LookupTable(List<String> columns, Map<String, Map<String, String>> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    /** The row for {@code key}, or null. */
    Map<String, String> row(String key) {
        return rows.get(key);
    }

    List<String> columns() {
        return columns;
    }

    int size() {
        return rows.size();
    }

    /**
     * @param keyColumn the CSV/JSON column holding the key; empty means the first CSV column or, for a JSON
     *                  object, its property names
     * @throws IllegalArgumentException naming the line or entry that is malformed
     */
    static LookupTable parse(String content, boolean json, String keyColumn) {
        return json ? parseJson(content, keyColumn) : parseCsv(content, keyColumn);
    }

    private static LookupTable parseCsv(String content, String keyColumn) {
        List<List<String>> lines = Csv.parse(content);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("the CSV has no header row");
        }
        List<String> header = lines.get(0);
        int keyIndex = keyColumn.isEmpty() ? 0 : header.indexOf(keyColumn);
        if (keyIndex < 0) {
            throw new IllegalArgumentException("the CSV header " + header + " has no key column '" + keyColumn + "'");
        }
        List<String> columns = new ArrayList<>(header);
        columns.remove(keyIndex);
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (int line = 1; line < lines.size(); line++) {
            List<String> cells = lines.get(line);
            if (cells.size() == 1 && cells.get(0).isEmpty()) {
                continue;
            }
            if (cells.size() != header.size()) {
                throw new IllegalArgumentException("CSV line " + (line + 1) + " has " + cells.size() + " cells, the header has "
                        + header.size());
            }
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < cells.size(); i++) {
                if (i != keyIndex) {
                    row.put(header.get(i), cells.get(i));
                }
            }
            rows.put(cells.get(keyIndex), row);
        }
        return new LookupTable(List.copyOf(columns), rows);
    }

    private static LookupTable parseJson(String content, String keyColumn) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
        }
        Set<String> columns = new LinkedHashSet<>();
        Map<String, Map<String, String>> rows = new HashMap<>();
        if (root != null && root.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                rows.put(entry.getKey(), row(entry.getValue(), "entry '" + entry.getKey() + "'", null, columns));
            }
        } else if (root != null && root.isArray()) {
            if (keyColumn.isEmpty()) {
                throw new IllegalArgumentException("a JSON array needs lookup.key.column to name the key property");
            }
            for (int i = 0; i < root.size(); i++) {
                JsonNode key = root.get(i).get(keyColumn);
                if (key == null || key.isNull()) {
                    throw new IllegalArgumentException("JSON array element " + i + " has no '" + keyColumn + "'");
                }
                rows.put(key.asText(), row(root.get(i), "array element " + i, keyColumn, columns));
            }
        } else {
            throw new IllegalArgumentException("the JSON must be an object (key -> fields) or an array of objects");
        }
        return new LookupTable(List.copyOf(columns), rows);
    }

    private static Map<String, String> row(JsonNode node, String where, String skip, Set<String> columns) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("JSON " + where + " must be an object of column -> value");
        }
        Map<String, String> row = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> cell = it.next();
            if (cell.getKey().equals(skip)) {
                continue;
            }
            columns.add(cell.getKey());
            row.put(cell.getKey(), cell.getValue().isNull() ? null : cell.getValue().isValueNode()
                    ? cell.getValue().asText() : cell.getValue().toString());
        }
        return row;
    }

    /** RFC 4180 CSV: commas, double-quoted cells with "" escapes, CRLF or LF line ends. */
    static final class Csv {
        private Csv() {
        }

        static List<List<String>> parse(String content) {
            List<List<String>> lines = new ArrayList<>();
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < content.length(); i++) {
                char c = content.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < content.length() && content.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cell.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < content.length() && content.charAt(i + 1) == '\n') {
                        i++;
                    }
                    cells.add(cell.toString());
                    cell.setLength(0);
                    lines.add(cells);
                    cells = new ArrayList<>();
                } else {
                    cell.append(c);
                }
            }
            if (quoted) {
                throw new IllegalArgumentException("CSV line " + (lines.size() + 1) + " has an unclosed quote");
            }
            if (cell.length() > 0 || !cells.isEmpty()) {
                cells.add(cell.toString());
                lines.add(cells);
            }
            return lines;
        }
    }
}
