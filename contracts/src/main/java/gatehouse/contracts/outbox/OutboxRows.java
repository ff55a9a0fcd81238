package gatehouse.contracts.outbox;

import gatehouse.contracts.events.EventEnvelope;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** The relay's view of the outbox table, read with the reactive SQL client outside any request. */
@ApplicationScoped
@IfBuildProperty(name = "gatehouse.outbox.enabled", stringValue = "true")
public class OutboxRows implements OutboxRelay.Store {

    private final Pool pool;

    OutboxRows(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<List<OutboxEntry>> pending(int limit) {
        return pool.preparedQuery(
                        """
                        select id, topic, event_id, source, event_type, aggregate_id, aggregate_version, actor, request_id,
                               occurred_at, payload
                        from outbox_event where published_at is null order by id limit $1""")
                .execute(Tuple.of(limit))
                .map(
                        rows -> {
                            List<OutboxEntry> entries = new ArrayList<>();
                            for (Row row : rows) {
                                entries.add(
                                        new OutboxEntry(
                                                row.getLong("id"),
                                                row.getString("topic"),
                                                new EventEnvelope(
                                                        row.getString("event_id"),
                                                        row.getString("source"),
                                                        row.getString("event_type"),
                                                        row.getString("aggregate_id"),
                                                        row.getOffsetDateTime("occurred_at")
                                                                .toInstant(),
                                                        row.getString("actor"),
                                                        row.getString("request_id"),
                                                        row.getLong("aggregate_version"),
                                                        row.getString("payload"))));
                            }
                            return entries;
                        });
    }

    /**
     * Deletes rows published more than {@code keepSeconds} ago: Kafka holds the events from then
     * on.
     *
     * @return how many rows went
     */
    public Uni<Integer> prunePublished(long keepSeconds) {
        return pool.preparedQuery(
                        "delete from outbox_event where published_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) keepSeconds))
                .map(result -> result.rowCount());
    }

    @Override
    public Uni<Void> markPublished(List<Long> ids) {
        return pool.preparedQuery("update outbox_event set published_at = now() where id = any($1)")
                .execute(Tuple.of(ids.toArray(new Long[0])))
                .replaceWithVoid();
    }
}
