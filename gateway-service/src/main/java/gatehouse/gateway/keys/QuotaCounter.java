package gatehouse.gateway.keys;

import java.util.ArrayDeque;

/**
 * This node's estimate of one quota counter (DESIGN §4): what keys-service last confirmed, plus the
 * deltas seen on {@code gatehouse.usage} after the position it confirmed (every node's, this one's
 * included), plus what this node counted and has not seen come back yet. Nodes hear each other's
 * deltas within a flush interval, which bounds the overshoot across the cluster.
 */
final class QuotaCounter {

    /** A delta seen on the usage topic. */
    private record Seen(long offset, long delta) {}

    private long confirmedUsed;
    private long renews;
    private long confirmedOffset = -1;
    private final ArrayDeque<Seen> seen = new ArrayDeque<>();
    private long seenSum;
    private long inFlight;
    private long pending;
    private long renewalRate;

    /**
     * Counts one request if the quota allows it.
     *
     * @return the requests remaining after this one, or -1 when the quota is exhausted (nothing
     *     counted)
     */
    synchronized long tryConsume(long quotaMax, long renewalRate, long nowSeconds) {
        this.renewalRate = renewalRate;
        if (renewalRate > 0 && (renews == 0 || renews <= nowSeconds)) {
            // a new period: what was counted before it no longer applies
            confirmedUsed = -(inFlight + pending);
            seen.clear();
            seenSum = 0;
            renews = nowSeconds + renewalRate;
        }
        long used = estimate();
        if (used >= quotaMax) {
            return -1;
        }
        pending++;
        return quotaMax - used - 1;
    }

    /** The requests remaining without counting one. */
    synchronized long remaining(long quotaMax) {
        return Math.max(0, quotaMax - estimate());
    }

    private long estimate() {
        return confirmedUsed + seenSum + inFlight + pending;
    }

    /** When the current period ends (unix seconds), 0 when unknown or never. */
    synchronized long renews() {
        return renews;
    }

    synchronized long renewalRate() {
        return renewalRate;
    }

    /**
     * keys-service's count, including every delta before {@code offset} (-1 when none counted yet).
     */
    synchronized void confirm(long used, long renewsAt, long offset) {
        if (offset >= 0 && offset < confirmedOffset) {
            return;
        }
        confirmedUsed = used;
        if (renewsAt > 0 || offset < 0) {
            renews = renewsAt;
        }
        confirmedOffset = offset;
        while (!seen.isEmpty() && seen.peekFirst().offset() < offset) {
            seenSum -= seen.pollFirst().delta();
        }
        if (offset < 0) {
            seen.clear();
            seenSum = 0;
        }
    }

    /** A delta read from the usage topic; {@code own} when this node published it. */
    synchronized void seen(long offset, long delta, boolean own) {
        if (own) {
            inFlight = Math.max(0, inFlight - delta);
        }
        if (offset >= confirmedOffset) {
            seen.addLast(new Seen(offset, delta));
            seenSum += delta;
        }
    }

    /** Takes what was counted since the last report; it stays in the estimate as in flight. */
    synchronized long drain() {
        long delta = pending;
        pending = 0;
        inFlight += delta;
        return delta;
    }

    /** A report that could not be sent: counted again as pending. */
    synchronized void restore(long delta) {
        inFlight = Math.max(0, inFlight - delta);
        pending += delta;
    }

    synchronized boolean hasPending() {
        return pending > 0;
    }
}
