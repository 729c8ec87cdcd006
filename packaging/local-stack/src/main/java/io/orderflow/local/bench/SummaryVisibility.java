package io.orderflow.local.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * When each record reached the per-minute summary: the aggregate sink stores its next offset per partition in
 * {@code _orderflow_aggregate_offsets} in the transaction that upserts the window deltas, so a record is in the
 * summary rows from the first poll whose stored offset is past it.
 */
final class SummaryVisibility extends WarehousePoller {

    private final String connector;
    /** partition -> (stored next offset -> first seen). */
    private final Map<Integer, TreeMap<Long, Long>> stored = new HashMap<>();
    /** partition -> (poll time -> the highest next offset stored by then). */
    private final Map<Integer, TreeMap<Long, Long>> byTime = new HashMap<>();

    SummaryVisibility(String url, String connector) {
        super(url, "summary-visibility");
        this.connector = connector;
    }

    @Override
    void poll(Connection db, long now) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT kafka_partition, next_offset FROM \"_orderflow_aggregate_offsets\" WHERE connector = ?")) {
            query.setString(1, connector);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    synchronized (stored) {
                        if (stored.computeIfAbsent(rs.getInt(1), p -> new TreeMap<>()).putIfAbsent(rs.getLong(2), now) == null) {
                            TreeMap<Long, Long> progress = byTime.computeIfAbsent(rs.getInt(1), p -> new TreeMap<>());
                            long highest = progress.isEmpty() ? 0 : progress.lastEntry().getValue();
                            progress.put(now, Math.max(highest, rs.getLong(2)));
                        }
                    }
                }
            }
        }
    }

    /** When the record at {@code offset} was first in the summary, or -1 if it never was while polled. */
    long visibleAt(int partition, long offset) {
        synchronized (stored) {
            TreeMap<Long, Long> progress = stored.get(partition);
            Map.Entry<Long, Long> covering = progress == null ? null : progress.higherEntry(offset);
            return covering == null ? -1 : covering.getValue();
        }
    }

    /** The next offset stored for {@code partition} as of {@code time} (0 before the first flush). */
    long storedAsOf(int partition, long time) {
        synchronized (stored) {
            TreeMap<Long, Long> progress = byTime.get(partition);
            Map.Entry<Long, Long> asOf = progress == null ? null : progress.floorEntry(time);
            return asOf == null ? 0 : asOf.getValue();
        }
    }

    /** Records of {@code appends} the summary took in between [from, to). */
    long recordsCoveredBetween(TopicAppends appends, int partitions, long from, long to) {
        long records = 0;
        for (int p = 0; p < partitions; p++) {
            records += appends.recordsBetweenOffsets(p, storedAsOf(p, from), storedAsOf(p, to));
        }
        return records;
    }

    /** The first poll by which the summary had taken at least {@code records} records of {@code appends}, or -1. */
    long timeWhenCovered(TopicAppends appends, int partitions, long records) {
        java.util.TreeSet<Long> polls = new java.util.TreeSet<>();
        synchronized (stored) {
            byTime.values().forEach(progress -> polls.addAll(progress.keySet()));
        }
        for (long time : polls) {
            if (recordsCoveredBetween(appends, partitions, 0, time) >= records) {
                return time;
            }
        }
        return -1;
    }

    /** Append-to-summary latency of every record appended in [from, to); {@code missing[0]} counts those not covered. */
    Latencies latencies(TopicAppends appends, long from, long to, long[] missing) {
        Latencies latencies = new Latencies();
        appends.forEachAppendedBetween(from, to, (partition, offset, appended) -> {
            long visible = visibleAt(partition, offset);
            if (visible < 0) {
                missing[0]++;
            } else {
                latencies.add(visible - appended);
            }
        });
        return latencies;
    }
}
