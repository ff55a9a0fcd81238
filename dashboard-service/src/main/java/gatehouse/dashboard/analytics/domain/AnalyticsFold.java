package gatehouse.dashboard.analytics.domain;

import gatehouse.contracts.analytics.AnalyticsRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records folded into hourly and daily aggregates in memory, so one database transaction adds a
 * whole poll's worth of requests with one row update per group.
 */
public final class AnalyticsFold {

    private final Map<AggregateKey, Tally> hourly = new LinkedHashMap<>();
    private final Map<AggregateKey, Tally> daily = new LinkedHashMap<>();
    private int records;

    /** Counts one record into its hour and its day. */
    public void add(AnalyticsRecord record) {
        Instant at = record.timestamp() == null ? Instant.EPOCH : record.timestamp();
        hourly.computeIfAbsent(key(record, at.truncatedTo(ChronoUnit.HOURS)), k -> new Tally())
                .add(record);
        daily.computeIfAbsent(key(record, at.truncatedTo(ChronoUnit.DAYS)), k -> new Tally())
                .add(record);
        records++;
    }

    private static AggregateKey key(AnalyticsRecord record, Instant bucket) {
        return new AggregateKey(
                orEmpty(record.orgId()),
                bucket,
                orEmpty(record.apiId()),
                orEmpty(record.apiKey()),
                orEmpty(record.oauthId()),
                record.trackPath() ? orEmpty(record.path()) : "",
                record.responseCode());
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    public Map<AggregateKey, Tally> hourly() {
        return hourly;
    }

    public Map<AggregateKey, Tally> daily() {
        return daily;
    }

    /** How many records were folded in. */
    public int records() {
        return records;
    }
}
