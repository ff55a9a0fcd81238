package gatehouse.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The per-node quota estimate: own counts, other nodes' deltas, keys-service's confirmations,
 * renewal.
 */
class QuotaCounterTest {

    private static final long NOW = 1_800_000_000L;

    @Test
    void quotaMaxRequestsPassThenNone() {
        var counter = new QuotaCounter();
        for (int i = 0; i < 3; i++) {
            assertEquals(2 - i, counter.tryConsume(3, 3600, NOW));
        }
        assertEquals(-1, counter.tryConsume(3, 3600, NOW));
    }

    @Test
    void otherNodesDeltasCountAtOnceAndAConfirmationReplacesWhatItCovers() {
        var counter = new QuotaCounter();
        counter.tryConsume(100, 3600, NOW); // own: 1 pending
        counter.seen(10, 5, false); // another node: 5
        assertEquals(94, counter.remaining(100));
        long drained = counter.drain(); // own delta sent
        assertEquals(1, drained);
        counter.seen(11, 1, true); // own delta comes back: counted once
        assertEquals(94, counter.remaining(100));
        counter.confirm(6, NOW + 3600, 12); // keys-service counted offsets 10 and 11
        assertEquals(94, counter.remaining(100));
        counter.seen(12, 4, false);
        assertEquals(90, counter.remaining(100));
    }

    @Test
    void anOlderConfirmationDoesNotUndoANewerOne() {
        var counter = new QuotaCounter();
        counter.confirm(50, NOW + 3600, 20);
        counter.confirm(10, NOW + 3600, 5);
        assertEquals(50, counter.remaining(100));
    }

    @Test
    void aNewPeriodStartsFromZeroWhenTheOldOneEnds() {
        var counter = new QuotaCounter();
        counter.confirm(100, NOW - 1, 3);
        assertEquals(99, counter.tryConsume(100, 3600, NOW));
        assertEquals(NOW + 3600, counter.renews());
    }

    @Test
    void withoutRenewalAnExhaustedQuotaStaysExhausted() {
        var counter = new QuotaCounter();
        counter.confirm(5, 0, 1);
        assertEquals(-1, counter.tryConsume(5, 0, NOW + 1_000_000));
    }

    @Test
    void aReportTheBrokerRefusedIsCountedAgain() {
        var counter = new QuotaCounter();
        counter.tryConsume(10, 3600, NOW);
        long delta = counter.drain();
        counter.restore(delta);
        assertEquals(9, counter.remaining(10));
        assertEquals(1, counter.drain());
    }
}
