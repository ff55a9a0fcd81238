package gatehouse.keys.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.audit.AuditDraft;
import gatehouse.contracts.audit.AuditJournal;
import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.keys.KeyState;
import gatehouse.contracts.keys.UsageDelta;
import gatehouse.contracts.outbox.OutboxEventEntity;
import gatehouse.contracts.outbox.OutboxPublication;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.keys.messaging.KeyEvents;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Stores keys by digest and announces every change on {@code gatehouse.keys} through the outbox, in
 * the same transaction. A key's row is locked while it changes, so an admin update and a quota
 * count never overwrite each other.
 */
@ApplicationScoped
public class KeyStore {

    private static final TypeReference<Map<String, KeyState.QuotaUsage>> QUOTAS =
            new TypeReference<>() {};
    private static final ChangeOrigin USAGE = new ChangeOrigin("gateway-usage", null, null);

    /**
     * What to write for a key.
     *
     * @param keyHash Tyk's key hash of the key
     * @param orgId the session's org
     * @param session the new session, or null to delete the key
     * @param resetQuotas start every quota counter afresh (Tyk deletes its counters)
     */
    public record Change(String keyHash, String orgId, ObjectNode session, boolean resetQuotas) {

        public static Change delete() {
            return new Change(null, null, null, true);
        }
    }

    private final OutboxPublication publication;
    private final AuditJournal journal;

    KeyStore(OutboxPublication publication, AuditJournal journal) {
        this.publication = publication;
        this.journal = journal;
    }

    /**
     * Changes one key under a row lock.
     *
     * @param decide given the live key or null, what to write; null to write nothing
     * @return the written key (deleted ones carry {@code deletedAt}), or null when nothing was
     *     written
     */
    public Uni<KeyEntity> change(
            String keyId, Function<KeyEntity, Change> decide, ChangeOrigin origin) {
        return Panache.withTransaction(
                        () ->
                                Panache.getSession()
                                        .flatMap(
                                                session ->
                                                        session.find(
                                                                        KeyEntity.class,
                                                                        keyId,
                                                                        LockMode.PESSIMISTIC_WRITE)
                                                                .flatMap(
                                                                        existing -> {
                                                                            KeyEntity live =
                                                                                    existing != null
                                                                                                    && existing
                                                                                                            .isLive()
                                                                                            ? existing
                                                                                            : null;
                                                                            Change change =
                                                                                    decide.apply(
                                                                                            live);
                                                                            if (change == null) {
                                                                                return Uni
                                                                                        .createFrom()
                                                                                        .<KeyEntity>
                                                                                                nullItem();
                                                                            }
                                                                            JsonNode before =
                                                                                    live == null
                                                                                            ? null
                                                                                            : TykJson
                                                                                                    .readObject(
                                                                                                            live.session);
                                                                            OffsetDateTime now =
                                                                                    OffsetDateTime
                                                                                            .now(
                                                                                                    ZoneOffset
                                                                                                            .UTC);
                                                                            KeyEntity entity =
                                                                                    existing;
                                                                            if (entity == null) {
                                                                                entity =
                                                                                        new KeyEntity();
                                                                                entity.keyId =
                                                                                        keyId;
                                                                                entity.createdAt =
                                                                                        now;
                                                                            }
                                                                            entity.version++;
                                                                            entity.updatedAt = now;
                                                                            String data = null;
                                                                            if (change.session()
                                                                                    == null) {
                                                                                entity.deletedAt =
                                                                                        now;
                                                                                entity.quotas =
                                                                                        "{}";
                                                                            } else {
                                                                                entity.deletedAt =
                                                                                        null;
                                                                                entity.keyHash =
                                                                                        change
                                                                                                .keyHash();
                                                                                entity.orgId =
                                                                                        change
                                                                                                .orgId();
                                                                                entity.session =
                                                                                        TykJson
                                                                                                .encode(
                                                                                                        change
                                                                                                                .session())
                                                                                                .stripTrailing();
                                                                                if (change
                                                                                                .resetQuotas()
                                                                                        || live
                                                                                                == null) {
                                                                                    entity.quotas =
                                                                                            "{}";
                                                                                }
                                                                                data =
                                                                                        stateOf(
                                                                                                entity);
                                                                            }
                                                                            var event =
                                                                                    KeyEvents.event(
                                                                                            data
                                                                                                            == null
                                                                                                    ? EventTypes
                                                                                                            .KEY_DELETED
                                                                                                    : EventTypes
                                                                                                            .KEY_UPSERTED,
                                                                                            keyId,
                                                                                            entity.version,
                                                                                            origin,
                                                                                            data);
                                                                            KeyEntity stored =
                                                                                    entity;
                                                                            return session.persist(
                                                                                            stored)
                                                                                    .call(
                                                                                            () ->
                                                                                                    session
                                                                                                            .persist(
                                                                                                                    OutboxEventEntity
                                                                                                                            .of(
                                                                                                                                    Topics
                                                                                                                                            .KEYS
                                                                                                                                            .name(),
                                                                                                                                    event)))
                                                                                    .call(
                                                                                            () ->
                                                                                                    journal
                                                                                                            .append(
                                                                                                                    session,
                                                                                                                    new AuditDraft(
                                                                                                                            "key",
                                                                                                                            keyId,
                                                                                                                            stored.version,
                                                                                                                            before,
                                                                                                                            change
                                                                                                                                    .session(),
                                                                                                                            origin)))
                                                                                    .replaceWith(
                                                                                            stored);
                                                                        })))
                .invoke(
                        changed -> {
                            if (changed != null) {
                                publication.wake();
                            }
                        });
    }

    /** One usage delta read from {@code gatehouse.usage}, at its partition and offset. */
    public record Counted(int partition, long offset, String keyId, UsageDelta delta) {}

    /**
     * Counts usage deltas the gateways reported, each once: a delta at an offset its partition has
     * counted already is skipped, and the partitions' positions move in the same transaction. A
     * counter whose period has ended starts a new one. A key's new count is published to every
     * gateway at once when its last count went out at least {@code publishInterval} ago; otherwise
     * the key is marked and {@link #publishPendingUsage} sends its latest count (live gateways hear
     * each other's deltas on {@code gatehouse.usage} meanwhile, ADR 0005).
     *
     * @return how many deltas were counted
     */
    public Uni<Integer> countUsage(List<Counted> deltas, Duration publishInterval) {
        // positions, then keys, each in one order: two counting transactions never deadlock
        SortedMap<Integer, List<Counted>> byPartition = new TreeMap<>();
        deltas.forEach(
                counted ->
                        byPartition
                                .computeIfAbsent(counted.partition(), p -> new ArrayList<>())
                                .add(counted));
        return Panache.withTransaction(
                        () ->
                                Panache.getSession()
                                        .flatMap(
                                                session ->
                                                        unseen(
                                                                        session,
                                                                        byPartition
                                                                                .values()
                                                                                .iterator(),
                                                                        new ArrayList<>())
                                                                .flatMap(
                                                                        fresh ->
                                                                                countAll(
                                                                                        session,
                                                                                        fresh,
                                                                                        publishInterval))))
                .invoke(counted -> publication.wake());
    }

    /** The deltas of each partition not counted before, its position moved past them. */
    private Uni<List<Counted>> unseen(
            Mutiny.Session session, Iterator<List<Counted>> partitions, List<Counted> fresh) {
        if (!partitions.hasNext()) {
            return Uni.createFrom().item(fresh);
        }
        List<Counted> ofPartition = partitions.next();
        int partition = ofPartition.get(0).partition();
        return session.find(UsagePositionEntity.class, partition, LockMode.PESSIMISTIC_WRITE)
                .flatMap(
                        position -> {
                            long next = position == null ? 0 : position.nextOffset;
                            long last = -1;
                            for (Counted counted : ofPartition) {
                                if (counted.offset() >= next) {
                                    fresh.add(counted);
                                }
                                last = Math.max(last, counted.offset());
                            }
                            if (last < next) {
                                return unseen(session, partitions, fresh);
                            }
                            UsagePositionEntity moved =
                                    position != null ? position : new UsagePositionEntity();
                            moved.partition = partition;
                            moved.nextOffset = last + 1;
                            return session.persist(moved)
                                    .flatMap(ignored -> unseen(session, partitions, fresh));
                        });
    }

    private Uni<Integer> countAll(
            Mutiny.Session session, List<Counted> fresh, Duration publishInterval) {
        SortedMap<String, List<Counted>> byKey = new TreeMap<>();
        fresh.forEach(
                counted ->
                        byKey.computeIfAbsent(counted.keyId(), k -> new ArrayList<>())
                                .add(counted));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (var entry : byKey.entrySet()) {
            chain =
                    chain.call(
                            () ->
                                    session.find(
                                                    KeyEntity.class,
                                                    entry.getKey(),
                                                    LockMode.PESSIMISTIC_WRITE)
                                            .call(
                                                    key ->
                                                            count(
                                                                    session,
                                                                    key,
                                                                    entry.getValue(),
                                                                    now,
                                                                    publishInterval)));
        }
        return chain.replaceWith(fresh.size());
    }

    /** A key's deltas added; its count published, or marked to be. */
    private Uni<Void> count(
            Mutiny.Session session,
            KeyEntity key,
            List<Counted> deltas,
            OffsetDateTime now,
            Duration publishInterval) {
        if (key == null || !key.isLive()) {
            return Uni.createFrom().voidItem();
        }
        Counted last = deltas.get(0);
        for (Counted counted : deltas) {
            add(key, counted.delta());
            if (counted.offset() > last.offset()) {
                last = counted;
            }
        }
        key.usagePartition = last.partition();
        key.usageOffset = last.offset() + 1;
        key.version++;
        key.updatedAt = now;
        boolean due =
                key.usagePublishedAt == null
                        || !key.usagePublishedAt.plus(publishInterval).isAfter(now);
        if (!due) {
            key.usageUnpublished = true;
            return session.persist(key);
        }
        return session.persist(key).call(() -> session.persist(usageEvent(key, now)));
    }

    /** Adds a delta to the key's counter of its scope, starting a new period when one ended. */
    private static void add(KeyEntity key, UsageDelta delta) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, KeyState.QuotaUsage> quotas = new HashMap<>(quotasOf(key));
        var current = quotas.get(delta.scope());
        long used = current == null ? 0 : current.used();
        long renews = current == null ? 0 : current.renews();
        if (delta.renewalRate() > 0 && (renews == 0 || renews <= now)) {
            used = 0;
            renews = now + delta.renewalRate();
        }
        quotas.put(delta.scope(), new KeyState.QuotaUsage(used + delta.delta(), renews));
        key.quotas = TykJson.encode(quotas).stripTrailing();
    }

    /** The event carrying a key's latest counts; marks them published. */
    private static OutboxEventEntity usageEvent(KeyEntity key, OffsetDateTime now) {
        key.usageUnpublished = false;
        key.usagePublishedAt = now;
        return OutboxEventEntity.of(
                Topics.KEYS.name(),
                KeyEvents.event(
                        EventTypes.KEY_UPSERTED, key.keyId, key.version, USAGE, stateOf(key)));
    }

    /**
     * Publishes the latest counts of keys whose counts were held back (at most {@code limit} keys
     * per call), so a gateway that starts later, and the confirmations the others use, are at most
     * one interval behind.
     *
     * @return how many keys were published
     */
    public Uni<Integer> publishPendingUsage(int limit) {
        return Panache.withTransaction(
                        () ->
                                Panache.getSession()
                                        .flatMap(
                                                session ->
                                                        session.createQuery(
                                                                        "from KeyEntity where usageUnpublished = true",
                                                                        KeyEntity.class)
                                                                .setLockMode(
                                                                        LockMode.PESSIMISTIC_WRITE)
                                                                .setMaxResults(limit)
                                                                .getResultList()
                                                                .flatMap(
                                                                        keys ->
                                                                                publishAll(
                                                                                        session,
                                                                                        keys))))
                .invoke(
                        published -> {
                            if (published > 0) {
                                publication.wake();
                            }
                        });
    }

    private Uni<Integer> publishAll(Mutiny.Session session, List<KeyEntity> keys) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Uni<Void> chain = Uni.createFrom().voidItem();
        int published = 0;
        for (KeyEntity key : keys) {
            if (!key.isLive()) {
                key.usageUnpublished = false; // its deletion went out with the counts it had
                chain = chain.call(() -> session.persist(key));
                continue;
            }
            OutboxEventEntity event = usageEvent(key, now);
            chain = chain.call(() -> session.persist(key)).call(() -> session.persist(event));
            published++;
        }
        int count = published;
        return chain.replaceWith(count);
    }

    /** A live key by digest, or null. */
    public Uni<KeyEntity> find(String keyId) {
        return Panache.withSession(
                        () ->
                                Panache.getSession()
                                        .flatMap(session -> session.find(KeyEntity.class, keyId)))
                .map(found -> found != null && found.isLive() ? found : null);
    }

    /** Live keys with Tyk's key hash. */
    public Uni<List<KeyEntity>> findByHash(String keyHash) {
        return Panache.withSession(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        session ->
                                                session.createQuery(
                                                                "from KeyEntity where keyHash = :hash and deletedAt is null order by keyId",
                                                                KeyEntity.class)
                                                        .setParameter("hash", keyHash)
                                                        .getResultList()));
    }

    /** Every live key. */
    public Uni<List<KeyEntity>> all() {
        return Panache.withSession(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        session ->
                                                session.createQuery(
                                                                "from KeyEntity where deletedAt is null order by keyHash",
                                                                KeyEntity.class)
                                                        .getResultList()));
    }

    /** The quota counters of a key. */
    public static Map<String, KeyState.QuotaUsage> quotasOf(KeyEntity key) {
        try {
            return TykJson.MAPPER.readValue(key.quotas, QUOTAS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable quota counters of a stored key", e);
        }
    }

    /** The stored session document of a key. */
    public static ObjectNode sessionOf(KeyEntity key) {
        try {
            return (ObjectNode) TykJson.MAPPER.readTree(key.session);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored session", e);
        }
    }

    /** The {@link KeyState} the key's events and look-ups carry. */
    public static String stateOf(KeyEntity key) {
        var usage =
                key.usagePartition == null
                        ? null
                        : new KeyState.UsagePosition(key.usagePartition, key.usageOffset);
        return TykJson.encode(new KeyState(key.keyHash, sessionOf(key), quotasOf(key), usage))
                .stripTrailing();
    }
}
