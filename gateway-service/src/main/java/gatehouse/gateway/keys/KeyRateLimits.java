package gatehouse.gateway.keys;

import gatehouse.gateway.routing.ApiRateLimit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key rate limits on this node (Tyk's DRL): one bucket per key, scope and {@code last_updated},
 * so an update of the key starts a fresh window as in Tyk; each node takes its share of the rate.
 */
@jakarta.inject.Singleton
public class KeyRateLimits {

    private record Bucket(ApiRateLimit limit, double rate, double per) {}

    /** A bucket's identity: the strings are the held key's own, so hashing them costs no scan. */
    private record BucketId(String digest, String scope, String lastUpdated) {}

    private final Map<BucketId, Bucket> buckets = new ConcurrentHashMap<>();

    /** Takes one request from the key's bucket; false when the rate is exceeded. */
    boolean tryAcquire(
            String digest,
            String scope,
            String lastUpdated,
            double rate,
            double per,
            int nodes,
            long nowNanos) {
        var id = new BucketId(digest, scope, lastUpdated);
        Bucket bucket = buckets.get(id);
        if (bucket == null || bucket.rate() != rate || bucket.per() != per) {
            bucket = new Bucket(new ApiRateLimit(rate, per), rate, per);
            buckets.put(id, bucket);
        }
        return bucket.limit().tryAcquire(nodes, nowNanos);
    }

    /** Forgets the buckets of a key (deleted or changed). */
    void forget(String digest) {
        buckets.keySet().removeIf(id -> id.digest().equals(digest));
    }

    int size() {
        return buckets.size();
    }
}
