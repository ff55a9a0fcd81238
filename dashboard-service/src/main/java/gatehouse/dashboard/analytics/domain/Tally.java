package gatehouse.dashboard.analytics.domain;

import gatehouse.contracts.analytics.AnalyticsRecord;
import java.time.Instant;

/**
 * The figures of one aggregate group, counted as Tyk counts them (DASHBOARD.md §8.2): every record
 * is a hit, 2xx a success, 400 and above an error (so a 3xx is neither); times are summed, to be
 * divided by hits when read; a group's first hit sets the minimums and only a 2xx lowers them,
 * every response can raise the maximums.
 */
public final class Tally {

    private long hits;
    private long success;
    private long errors;
    private double requestTime;
    private double latency;
    private double upstreamLatency;
    private double maxLatency;
    private double minLatency;
    private double maxUpstreamLatency;
    private double minUpstreamLatency;
    private long bytesIn;
    private long bytesOut;
    private Instant lastHit;
    private int lastCode;
    private String apiName = "";
    private String alias = "";

    /** Counts one record in. */
    public void add(AnalyticsRecord record) {
        int code = record.responseCode();
        double total = record.latency() == null ? record.requestTime() : record.latency().total();
        double upstream = record.latency() == null ? 0 : record.latency().upstream();
        boolean first = hits == 0;
        hits++;
        if (code >= 200 && code < 300) {
            success++;
        } else if (code >= 400) {
            errors++;
        }
        requestTime += record.requestTime();
        latency += total;
        upstreamLatency += upstream;
        if (first || (code >= 200 && code < 300 && total < minLatency)) {
            minLatency = total;
        }
        if (first || (code >= 200 && code < 300 && upstream < minUpstreamLatency)) {
            minUpstreamLatency = upstream;
        }
        maxLatency = first ? total : Math.max(maxLatency, total);
        maxUpstreamLatency = first ? upstream : Math.max(maxUpstreamLatency, upstream);
        if (record.network() != null) {
            bytesIn += record.network().bytesIn();
            bytesOut += record.network().bytesOut();
        }
        Instant at = record.timestamp() == null ? Instant.EPOCH : record.timestamp();
        if (lastHit == null || !at.isBefore(lastHit)) {
            lastHit = at;
            lastCode = code;
            apiName = record.apiName() == null ? "" : record.apiName();
            alias = record.alias() == null ? "" : record.alias();
        }
    }

    public long hits() {
        return hits;
    }

    public long success() {
        return success;
    }

    public long errors() {
        return errors;
    }

    /** Sum of request times, ms. */
    public double requestTime() {
        return requestTime;
    }

    /** Sum of total latencies, ms. */
    public double latency() {
        return latency;
    }

    /** Sum of upstream latencies, ms. */
    public double upstreamLatency() {
        return upstreamLatency;
    }

    public double maxLatency() {
        return maxLatency;
    }

    public double minLatency() {
        return minLatency;
    }

    public double maxUpstreamLatency() {
        return maxUpstreamLatency;
    }

    public double minUpstreamLatency() {
        return minUpstreamLatency;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public Instant lastHit() {
        return lastHit;
    }

    public int lastCode() {
        return lastCode;
    }

    public String apiName() {
        return apiName;
    }

    public String alias() {
        return alias;
    }
}
