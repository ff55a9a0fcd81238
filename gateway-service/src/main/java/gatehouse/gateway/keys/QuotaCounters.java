package gatehouse.gateway.keys;

import gatehouse.contracts.keys.KeyState;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every quota counter this node keeps, by key digest and allowance scope. */
@Singleton
public class QuotaCounters {

    private final Map<String, Map<String, QuotaCounter>> counters = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();

    private QuotaCounter counter(String digest, String scope) {
        // a plain read first: computeIfAbsent locks the bin even when the entry is there
        Map<String, QuotaCounter> scopes = counters.get(digest);
        if (scopes == null) {
            scopes = counters.computeIfAbsent(digest, d -> new ConcurrentHashMap<>());
        }
        QuotaCounter counter = scopes.get(scope);
        return counter != null ? counter : scopes.computeIfAbsent(scope, s -> new QuotaCounter());
    }

    /**
     * Counts one request against a key's quota.
     *
     * @return the requests remaining after this one, or -1 when the quota is exhausted
     */
    public long tryConsume(
            String digest, String scope, long quotaMax, long renewalRate, long nowSeconds) {
        long remaining = counter(digest, scope).tryConsume(quotaMax, renewalRate, nowSeconds);
        // after the count, so a drain that removes the digest meanwhile still takes this one; an
        // add of a digest already there would lock its bin on every request
        if (remaining >= 0 && !dirty.contains(digest)) {
            dirty.add(digest);
        }
        return remaining;
    }

    /** When the counter's period ends (unix seconds), 0 when unknown. */
    public long renews(String digest, String scope) {
        return counter(digest, scope).renews();
    }

    /** keys-service's counts for a key: scopes it does not list are at zero. */
    void confirm(
            String digest,
            Map<String, KeyState.QuotaUsage> quotas,
            KeyState.UsagePosition position) {
        long offset = position == null ? -1 : position.offset();
        quotas.forEach(
                (scope, usage) ->
                        counter(digest, scope).confirm(usage.used(), usage.renews(), offset));
        var held = counters.get(digest);
        if (held != null) {
            held.forEach(
                    (scope, counter) -> {
                        if (!quotas.containsKey(scope)) {
                            counter.confirm(0, 0, offset);
                        }
                    });
        }
    }

    /** A delta read from {@code gatehouse.usage}. */
    public void seen(String digest, String scope, long offset, long delta, boolean own) {
        counter(digest, scope).seen(offset, delta, own);
    }

    void forget(String digest) {
        counters.remove(digest);
        dirty.remove(digest);
    }

    /**
     * Hands every counted delta to {@code report} (digest, scope, delta, renewal rate); a report
     * that fails must be given back with {@link #restore}.
     */
    void drain(Report report) {
        for (String digest : dirty) {
            dirty.remove(digest);
            var held = counters.get(digest);
            if (held == null) {
                continue;
            }
            held.forEach(
                    (scope, counter) -> {
                        long delta = counter.drain();
                        if (delta > 0) {
                            report.send(digest, scope, delta, counter.renewalRate());
                        }
                    });
        }
    }

    void restore(String digest, String scope, long delta) {
        counter(digest, scope).restore(delta);
        dirty.add(digest);
    }

    /** Where drained deltas go. */
    @FunctionalInterface
    interface Report {
        void send(String digest, String scope, long delta, long renewalRate);
    }
}
