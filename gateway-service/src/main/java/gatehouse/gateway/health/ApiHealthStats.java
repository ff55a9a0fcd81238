package gatehouse.gateway.health;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Per-API health figures for {@code GET /tyk/health} (COMPAT §8), over a sliding window of
 * one-second slots (Tyk's {@code health_check_value_timeouts}). Off by default, as in Tyk; when
 * off, nothing is recorded on the request path.
 */
@Singleton
public class ApiHealthStats {

    /** What is counted. */
    public enum Counter {
        REQUEST,
        THROTTLED,
        QUOTA_VIOLATION,
        KEY_FAILURE
    }

    /** Tyk's answer, typo included ({@code throttle_reqests_per_second}). */
    @JsonPropertyOrder({
        "throttle_reqests_per_second",
        "quota_violations_per_second",
        "key_failures_per_second",
        "average_upstream_latency",
        "average_requests_per_second"
    })
    public record Values(
            @JsonProperty("throttle_reqests_per_second") double throttledPerSecond,
            @JsonProperty("quota_violations_per_second") double quotaViolationsPerSecond,
            @JsonProperty("key_failures_per_second") double keyFailuresPerSecond,
            @JsonProperty("average_upstream_latency") double averageUpstreamLatency,
            @JsonProperty("average_requests_per_second") double averageRequestsPerSecond) {}

    // per slot: second stamp, then the four counters, then latency sum (ms) and latency count
    private static final int FIELDS = 7;
    private static final int STAMP = 0;
    private static final int LATENCY_SUM = 5;
    private static final int LATENCY_COUNT = 6;

    private final boolean enabled;
    private final int windowSeconds;
    private final Map<String, AtomicLongArray> apis = new ConcurrentHashMap<>();

    ApiHealthStats(
            @ConfigProperty(name = "gatehouse.health-checks.enabled", defaultValue = "false")
                    boolean enabled,
            @ConfigProperty(name = "gatehouse.health-checks.window", defaultValue = "60s")
                    Duration window) {
        this.enabled = enabled;
        this.windowSeconds = (int) Math.max(1, window.toSeconds());
    }

    public boolean enabled() {
        return enabled;
    }

    public void count(String apiId, Counter counter) {
        if (enabled) {
            add(apiId, 1 + counter.ordinal(), 1);
        }
    }

    public void latency(String apiId, long millis) {
        if (enabled) {
            long second = System.currentTimeMillis() / 1000;
            AtomicLongArray slots = slots(apiId);
            int base = slot(slots, second);
            slots.addAndGet(base + LATENCY_SUM, millis);
            slots.incrementAndGet(base + LATENCY_COUNT);
        }
    }

    /** The figures over the window ending now. */
    public Values values(String apiId) {
        AtomicLongArray slots = apis.get(apiId);
        long[] sums = new long[FIELDS];
        if (slots != null) {
            long now = System.currentTimeMillis() / 1000;
            for (int i = 0; i < windowSeconds; i++) {
                int base = i * FIELDS;
                long stamp = slots.get(base + STAMP);
                if (stamp > now - windowSeconds && stamp <= now) {
                    for (int f = 1; f < FIELDS; f++) {
                        sums[f] += slots.get(base + f);
                    }
                }
            }
        }
        double window = windowSeconds;
        return new Values(
                sums[1 + Counter.THROTTLED.ordinal()] / window,
                sums[1 + Counter.QUOTA_VIOLATION.ordinal()] / window,
                sums[1 + Counter.KEY_FAILURE.ordinal()] / window,
                sums[LATENCY_COUNT] == 0 ? 0 : (double) sums[LATENCY_SUM] / sums[LATENCY_COUNT],
                sums[1 + Counter.REQUEST.ordinal()] / window);
    }

    private void add(String apiId, int field, long amount) {
        AtomicLongArray slots = slots(apiId);
        int base = slot(slots, System.currentTimeMillis() / 1000);
        slots.addAndGet(base + field, amount);
    }

    private AtomicLongArray slots(String apiId) {
        return apis.computeIfAbsent(apiId, id -> new AtomicLongArray(windowSeconds * FIELDS));
    }

    /** The slot of this second, cleared first when it still holds an older second. */
    private int slot(AtomicLongArray slots, long second) {
        int base = (int) (second % windowSeconds) * FIELDS;
        long stamp = slots.get(base + STAMP);
        if (stamp != second && slots.compareAndSet(base + STAMP, stamp, second)) {
            for (int f = 1; f < FIELDS; f++) {
                slots.set(
                        base + f,
                        0); // a figure counted in the instant of the reset may be lost: fine for
                // stats
            }
        }
        return base;
    }
}
