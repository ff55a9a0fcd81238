package gatehouse.dashboard.analytics.persistence;

import gatehouse.contracts.analytics.AnalyticsRecord;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.analytics.domain.AggregateKey;
import gatehouse.dashboard.analytics.domain.AnalyticsFold;
import gatehouse.dashboard.analytics.domain.Tally;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds folded records to the aggregates and moves the partitions' offsets, in one transaction: a
 * crash before the commit counts nothing, after it everything, so no request is counted twice or
 * lost (ADR 0012). Blocking JDBC, on the aggregator's own thread.
 */
@ApplicationScoped
public class AggregateWriter {

    private static final String UPSERT =
            """
            INSERT INTO %1$s (org_id, bucket, api_id, key_hash, oauth_id, path, code, api_name, alias,
                hits, success, errors, request_time, latency, upstream_latency, max_latency, min_latency,
                max_upstream_latency, min_upstream_latency, bytes_in, bytes_out, last_hit, last_code)
            SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[],
                ?::int[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::float8[],
                ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[],
                ?::bigint[], ?::bigint[], ?::timestamptz[], ?::int[])
            ON CONFLICT (org_id, bucket, api_id, key_hash, oauth_id, path, code) DO UPDATE SET
                hits = t.hits + excluded.hits,
                success = t.success + excluded.success,
                errors = t.errors + excluded.errors,
                request_time = t.request_time + excluded.request_time,
                latency = t.latency + excluded.latency,
                upstream_latency = t.upstream_latency + excluded.upstream_latency,
                max_latency = greatest(t.max_latency, excluded.max_latency),
                max_upstream_latency = greatest(t.max_upstream_latency, excluded.max_upstream_latency),
                min_latency = CASE WHEN excluded.code BETWEEN 200 AND 299
                    THEN least(t.min_latency, excluded.min_latency) ELSE t.min_latency END,
                min_upstream_latency = CASE WHEN excluded.code BETWEEN 200 AND 299
                    THEN least(t.min_upstream_latency, excluded.min_upstream_latency)
                    ELSE t.min_upstream_latency END,
                bytes_in = t.bytes_in + excluded.bytes_in,
                bytes_out = t.bytes_out + excluded.bytes_out,
                api_name = CASE WHEN excluded.last_hit >= t.last_hit THEN excluded.api_name ELSE t.api_name END,
                alias = CASE WHEN excluded.last_hit >= t.last_hit THEN excluded.alias ELSE t.alias END,
                last_code = CASE WHEN excluded.last_hit >= t.last_hit THEN excluded.last_code ELSE t.last_code END,
                last_hit = greatest(t.last_hit, excluded.last_hit)
            """;

    private static final String RAW =
            """
            INSERT INTO analytics_records (org_id, api_id, at, key_hash, oauth_id, response_code, record)
            SELECT * FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::int[], ?::jsonb[])
            """;

    private final AgroalDataSource dataSource;

    AggregateWriter(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Where the aggregates stand in each partition of {@code topic}: the next offset to count. */
    public Map<Integer, Long> positions(String topic) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement(
                                "SELECT partition, next_offset FROM analytics_offsets WHERE topic = ?")) {
            select.setString(1, topic);
            var rows = select.executeQuery();
            Map<Integer, Long> positions = new HashMap<>();
            while (rows.next()) {
                positions.put(rows.getInt(1), rows.getLong(2));
            }
            return positions;
        }
    }

    /**
     * One Kafka record of {@code gatehouse.analytics}: a gateway's batch.
     *
     * @param offset its offset in its partition
     * @param records its analytics records (empty for a batch that could not be read: skipped)
     */
    public record Batch(long offset, List<AnalyticsRecord> records) {}

    /**
     * One partition's slice of a poll.
     *
     * @param partition the partition
     * @param batches its Kafka records in offset order
     */
    public record Slice(int partition, List<Batch> batches) {}

    /**
     * Counts the slices in and moves the offsets past them, in one transaction. What a partition's
     * stored offset says is already counted (a replay, or another aggregator that had the partition
     * during a rebalance) is skipped: the offset row is locked for the transaction, so two
     * aggregators cannot both count a record.
     *
     * @return the records counted
     */
    public int write(String topic, List<Slice> slices, boolean keepRaw) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                AnalyticsFold fold = new AnalyticsFold();
                List<AnalyticsRecord> raw = new java.util.ArrayList<>();
                for (Slice slice : slices) {
                    long stored = lockPosition(connection, topic, slice.partition());
                    long next = stored;
                    for (Batch batch : slice.batches()) {
                        if (batch.offset() < stored) {
                            continue;
                        }
                        for (AnalyticsRecord record : batch.records()) {
                            fold.add(record);
                            if (keepRaw) {
                                raw.add(record);
                            }
                        }
                        next = batch.offset() + 1;
                    }
                    if (next > stored) {
                        storePosition(connection, topic, slice.partition(), next);
                    }
                }
                upsert(connection, "analytics_hourly", fold.hourly());
                upsert(connection, "analytics_daily", fold.daily());
                insertRaw(connection, raw);
                connection.commit();
                return fold.records();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static long lockPosition(Connection connection, String topic, int partition)
            throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO analytics_offsets (topic, partition, next_offset) VALUES (?, ?, 0)"
                                + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, topic);
            insert.setInt(2, partition);
            insert.executeUpdate();
        }
        try (PreparedStatement select =
                connection.prepareStatement(
                        "SELECT next_offset FROM analytics_offsets WHERE topic = ? AND partition = ?"
                                + " FOR UPDATE")) {
            select.setString(1, topic);
            select.setInt(2, partition);
            var rows = select.executeQuery();
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void storePosition(Connection connection, String topic, int partition, long next)
            throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE analytics_offsets SET next_offset = ? WHERE topic = ? AND partition = ?")) {
            update.setLong(1, next);
            update.setString(2, topic);
            update.setInt(3, partition);
            update.executeUpdate();
        }
    }

    private static void upsert(Connection connection, String table, Map<AggregateKey, Tally> rows)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        String[] org = new String[n], api = new String[n], key = new String[n];
        String[] oauth = new String[n], path = new String[n], name = new String[n];
        String[] alias = new String[n];
        String[] bucket = new String[n], lastHit = new String[n];
        Integer[] code = new Integer[n], lastCode = new Integer[n];
        Long[] hits = new Long[n], success = new Long[n], errors = new Long[n];
        Long[] bytesIn = new Long[n], bytesOut = new Long[n];
        Double[] requestTime = new Double[n], latency = new Double[n], upstream = new Double[n];
        Double[] maxLatency = new Double[n], minLatency = new Double[n];
        Double[] maxUpstream = new Double[n], minUpstream = new Double[n];
        int i = 0;
        for (var row : rows.entrySet()) {
            AggregateKey k = row.getKey();
            Tally t = row.getValue();
            org[i] = k.orgId();
            bucket[i] = k.bucket().toString();
            api[i] = k.apiId();
            key[i] = k.keyHash();
            oauth[i] = k.oauthId();
            path[i] = k.path();
            code[i] = k.code();
            name[i] = t.apiName();
            alias[i] = t.alias();
            hits[i] = t.hits();
            success[i] = t.success();
            errors[i] = t.errors();
            requestTime[i] = t.requestTime();
            latency[i] = t.latency();
            upstream[i] = t.upstreamLatency();
            maxLatency[i] = t.maxLatency();
            minLatency[i] = t.minLatency();
            maxUpstream[i] = t.maxUpstreamLatency();
            minUpstream[i] = t.minUpstreamLatency();
            bytesIn[i] = t.bytesIn();
            bytesOut[i] = t.bytesOut();
            lastHit[i] = (t.lastHit() == null ? Instant.EPOCH : t.lastHit()).toString();
            lastCode[i] = t.lastCode();
            i++;
        }
        try (PreparedStatement upsert =
                connection.prepareStatement(UPSERT.formatted(table + " AS t"))) {
            Object[][] columns = {
                org,
                bucket,
                api,
                key,
                oauth,
                path,
                code,
                name,
                alias,
                hits,
                success,
                errors,
                requestTime,
                latency,
                upstream,
                maxLatency,
                minLatency,
                maxUpstream,
                minUpstream,
                bytesIn,
                bytesOut,
                lastHit,
                lastCode
            };
            String[] types = {
                "text", "text", "text", "text", "text", "text", "int4", "text", "text", "int8",
                "int8", "int8", "float8", "float8", "float8", "float8", "float8", "float8",
                "float8", "int8", "int8", "text", "int4"
            };
            for (int c = 0; c < columns.length; c++) {
                upsert.setArray(c + 1, connection.createArrayOf(types[c], columns[c]));
            }
            upsert.executeUpdate();
        }
    }

    /** Raw records per insert: the statement's arrays are held in memory whole. */
    private static final int RAW_CHUNK = 2_000;

    private static void insertRaw(Connection connection, List<AnalyticsRecord> records)
            throws SQLException {
        for (int from = 0; from < records.size(); from += RAW_CHUNK) {
            insertRawChunk(
                    connection, records.subList(from, Math.min(records.size(), from + RAW_CHUNK)));
        }
    }

    private static void insertRawChunk(Connection connection, List<AnalyticsRecord> records)
            throws SQLException {
        int n = records.size();
        String[] org = new String[n], api = new String[n], key = new String[n];
        String[] oauth = new String[n], json = new String[n];
        String[] at = new String[n];
        Integer[] code = new Integer[n];
        for (int i = 0; i < n; i++) {
            AnalyticsRecord record = records.get(i);
            org[i] = nonNull(record.orgId());
            api[i] = nonNull(record.apiId());
            at[i] = (record.timestamp() == null ? Instant.EPOCH : record.timestamp()).toString();
            key[i] = nonNull(record.apiKey());
            oauth[i] = nonNull(record.oauthId());
            code[i] = record.responseCode();
            json[i] = TykJson.encode(record);
        }
        try (PreparedStatement insert = connection.prepareStatement(RAW)) {
            insert.setArray(1, connection.createArrayOf("text", org));
            insert.setArray(2, connection.createArrayOf("text", api));
            insert.setArray(3, connection.createArrayOf("text", at));
            insert.setArray(4, connection.createArrayOf("text", key));
            insert.setArray(5, connection.createArrayOf("text", oauth));
            insert.setArray(6, connection.createArrayOf("int4", code));
            insert.setArray(7, connection.createArrayOf("text", json));
            insert.executeUpdate();
        }
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    /**
     * Prunes raw records before {@code rawBefore} and hourly rows before {@code hourlyBefore}; the
     * daily rows are kept.
     *
     * @return rows removed
     */
    public int prune(Instant rawBefore, Instant hourlyBefore) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement raw =
                        connection.prepareStatement("DELETE FROM analytics_records WHERE at < ?");
                PreparedStatement hourly =
                        connection.prepareStatement(
                                "DELETE FROM analytics_hourly WHERE bucket < ?")) {
            raw.setTimestamp(1, Timestamp.from(rawBefore));
            hourly.setTimestamp(1, Timestamp.from(hourlyBefore));
            return raw.executeUpdate() + hourly.executeUpdate();
        }
    }
}
