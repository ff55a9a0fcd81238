package gatehouse.contracts.outbox;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Publishes a service's outbox rows to Kafka in row order and marks them published (DESIGN.md §3).
 * A change is committed with its outbox row, so a broker outage delays publication but loses
 * nothing: rows stay pending and are retried on the next wake-up. Wake-ups while a drain runs are
 * coalesced into one more drain. Events can be published twice after a crash; consumers drop
 * versions they hold.
 */
public final class OutboxRelay {

    private static final Logger LOGGER = Logger.getLogger(OutboxRelay.class);

    /** Where pending rows come from. */
    public interface Store {
        /** Up to {@code limit} unpublished rows, oldest first. */
        Uni<List<OutboxEntry>> pending(int limit);

        /** Marks rows as published. */
        Uni<Void> markPublished(List<Long> ids);
    }

    private final Store store;
    private final Function<OutboxEntry, Uni<Void>> publisher;
    private final int batchSize;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean wakeRequested;

    /**
     * @param store the service's outbox table
     * @param publisher sends one entry; the Uni completes when the broker has acknowledged it
     * @param batchSize rows read per round
     */
    public OutboxRelay(Store store, Function<OutboxEntry, Uni<Void>> publisher, int batchSize) {
        this.store = store;
        this.publisher = publisher;
        this.batchSize = batchSize;
    }

    /** Asks for a drain: after a commit, and periodically to retry after a broker outage. */
    public void wake() {
        wakeRequested = true;
        if (running.compareAndSet(false, true)) {
            drain();
        }
    }

    private void drain() {
        wakeRequested = false;
        drainOnce()
                .subscribe()
                .with(
                        this::afterRound,
                        failure -> {
                            LOGGER.warnf(
                                    "outbox publication failed, rows stay pending: %s",
                                    failure.getMessage());
                            afterRound(false);
                        });
    }

    private void afterRound(boolean moreNow) {
        if (moreNow || wakeRequested) {
            drain();
            return;
        }
        running.set(false);
        // a wake() may have arrived between the check and the reset
        if (wakeRequested && running.compareAndSet(false, true)) {
            drain();
        }
    }

    /**
     * One round: publish what is pending, mark what the broker acknowledged; true if more may wait.
     */
    private Uni<Boolean> drainOnce() {
        return store.pending(batchSize)
                .flatMap(
                        entries -> {
                            if (entries.isEmpty()) {
                                return Uni.createFrom().item(false);
                            }
                            // subscribed in row order, so sends reach the producer in order; acks
                            // are awaited together
                            List<Uni<Long>> sends = new ArrayList<>(entries.size());
                            for (OutboxEntry entry : entries) {
                                sends.add(
                                        publisher
                                                .apply(entry)
                                                .replaceWith(entry.id())
                                                .onFailure()
                                                .invoke(
                                                        f ->
                                                                LOGGER.warnf(
                                                                        "event %s not published: %s",
                                                                        entry.event().id(),
                                                                        f.getMessage()))
                                                .onFailure()
                                                .recoverWithNull());
                            }
                            return Uni.join()
                                    .all(sends)
                                    .andFailFast()
                                    .flatMap(
                                            results -> {
                                                List<Long> published =
                                                        results.stream()
                                                                .filter(java.util.Objects::nonNull)
                                                                .toList();
                                                boolean allPublished =
                                                        published.size() == entries.size();
                                                Uni<Void> mark =
                                                        published.isEmpty()
                                                                ? Uni.createFrom().voidItem()
                                                                : store.markPublished(published);
                                                return mark.replaceWith(
                                                        allPublished
                                                                && entries.size() == batchSize);
                                            });
                        });
    }
}
