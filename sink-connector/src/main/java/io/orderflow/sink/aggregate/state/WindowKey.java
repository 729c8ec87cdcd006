package io.orderflow.sink.aggregate.state;

import java.util.List;

/** One row of the summary: a window and the values of the group-by fields. */
public record WindowKey(long startMs, long endMs, List<String> groups) implements Comparable<WindowKey> {

    /** Rows are written in key order, so concurrent tasks lock shared rows in the same order and cannot deadlock. */
    @Override
    public int compareTo(WindowKey other) {
        int byStart = Long.compare(startMs, other.startMs);
        if (byStart != 0) {
            return byStart;
        }
        int byEnd = Long.compare(endMs, other.endMs);
        if (byEnd != 0) {
            return byEnd;
        }
        for (int i = 0; i < groups.size(); i++) {
            int byGroup = groups.get(i).compareTo(other.groups.get(i));
            if (byGroup != 0) {
                return byGroup;
            }
        }
        return 0;
    }
}
