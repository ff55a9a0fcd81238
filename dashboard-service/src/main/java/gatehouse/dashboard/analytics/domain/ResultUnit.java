package gatehouse.dashboard.analytics.domain;

import java.time.Instant;

/**
 * One unit of Tyk's {@code AggregateAnalyticsData}: a group's figures, summed over its aggregate
 * rows (DASHBOARD.md §8.2). Times are in milliseconds.
 *
 * @param apiId the group's API, or empty
 * @param apiName its name, or empty
 * @param path its tracked endpoint, or empty
 * @param code the latest response code of an endpoint group, else 0
 * @param bucket the group's hour or day, or null when it is not a time group
 * @param hits requests
 * @param success 2xx responses
 * @param errors responses of 400 and above
 * @param requestTime sum of request times
 * @param latency sum of total latencies
 * @param upstreamLatency sum of upstream latencies
 * @param maxLatency the largest total latency
 * @param minLatency the smallest total latency of a 2xx (of any response when there was none)
 * @param maxUpstreamLatency the largest upstream latency
 * @param minUpstreamLatency the smallest upstream latency, as {@code minLatency}
 * @param lastHit the latest request
 */
public record ResultUnit(
        String apiId,
        String apiName,
        String path,
        int code,
        Instant bucket,
        long hits,
        long success,
        long errors,
        double requestTime,
        double latency,
        double upstreamLatency,
        double maxLatency,
        double minLatency,
        double maxUpstreamLatency,
        double minUpstreamLatency,
        Instant lastHit) {

    /** A mean over the group's hits (0 for no hits), as Tyk divides its sums. */
    public double mean(double sum) {
        return hits == 0 ? 0 : sum / hits;
    }
}
