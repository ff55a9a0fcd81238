package gatehouse.gateway.routing;

/**
 * The API-wide {@code global_rate_limit} on this node: a token bucket holding at most {@code rate}
 * tokens, refilled at {@code rate / per} per second. With several live nodes each takes its share
 * of the rate, so the cluster as a whole allows about {@code rate} per {@code per} seconds.
 */
public final class ApiRateLimit {

    private final double rate;
    private final double perSeconds;
    private double tokens;
    private long lastRefill;

    public ApiRateLimit(double rate, double perSeconds) {
        this.rate = rate;
        this.perSeconds = perSeconds;
        this.tokens = rate;
        this.lastRefill = System.nanoTime();
    }

    /**
     * Takes one token if there is one.
     *
     * @param nodes how many gateway nodes share the limit (at least 1)
     */
    public synchronized boolean tryAcquire(int nodes, long nowNanos) {
        double share = rate / Math.max(1, nodes);
        double perNano = share / (perSeconds * 1e9);
        tokens = Math.min(share, tokens + Math.max(0, nowNanos - lastRefill) * perNano);
        lastRefill = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
