package gatehouse.admin.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.admin.messaging.AdminEvents;
import gatehouse.contracts.audit.AuditDraft;
import gatehouse.contracts.audit.AuditJournal;
import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.events.Topic;
import gatehouse.contracts.outbox.OutboxEventEntity;
import gatehouse.contracts.outbox.OutboxPublication;
import gatehouse.contracts.tyk.TykJson;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Stores one kind of {@link VersionedDocument}. Every change and its event are written in one
 * transaction (the outbox) with its audit entry, and the relay is woken once it has committed.
 *
 * @param <D> the entity
 */
public final class VersionedDocuments<D extends VersionedDocument> {

    /** How one kind of document is stored and announced. */
    public record Kind<D>(
            Class<D> entity,
            Supplier<D> create,
            Topic topic,
            String upsertedType,
            String deletedType,
            String auditType) {}

    private final Kind<D> kind;
    private final OutboxPublication publication;
    private final AuditJournal journal;

    public VersionedDocuments(Kind<D> kind, OutboxPublication publication, AuditJournal journal) {
        this.kind = kind;
        this.publication = publication;
        this.journal = journal;
    }

    /** Creates the document, or replaces it when the id exists. */
    public Uni<D> save(
            String id, String orgId, ObjectNode document, Consumer<D> index, ChangeOrigin origin) {
        return change(id, origin, existing -> true, orgId, document, index);
    }

    /** Replaces a live document; null when there is none with that id. */
    public Uni<D> update(
            String id, String orgId, ObjectNode document, Consumer<D> index, ChangeOrigin origin) {
        return change(
                id,
                origin,
                existing -> existing != null && existing.isLive(),
                orgId,
                document,
                index);
    }

    /** Deletes a live document and publishes a tombstone; null when there is none with that id. */
    public Uni<D> delete(String id, ChangeOrigin origin) {
        return change(
                id, origin, existing -> existing != null && existing.isLive(), null, null, d -> {});
    }

    private Uni<D> change(
            String id,
            ChangeOrigin origin,
            Predicate<D> allowed,
            String orgId,
            ObjectNode document,
            Consumer<D> index) {
        return Panache.withTransaction(
                        () ->
                                Panache.getSession()
                                        .flatMap(
                                                session ->
                                                        session.find(kind.entity(), id)
                                                                .flatMap(
                                                                        existing ->
                                                                                allowed.test(
                                                                                                existing)
                                                                                        ? write(
                                                                                                session,
                                                                                                id,
                                                                                                existing,
                                                                                                origin,
                                                                                                orgId,
                                                                                                document,
                                                                                                index)
                                                                                        : Uni
                                                                                                .createFrom()
                                                                                                .<D>
                                                                                                        nullItem())))
                .invoke(
                        changed -> {
                            if (changed != null) {
                                publication.wake();
                            }
                        });
    }

    /** Writes the change, its event and its audit entry in the caller's transaction. */
    private Uni<D> write(
            Mutiny.Session session,
            String id,
            D existing,
            ChangeOrigin origin,
            String orgId,
            ObjectNode document,
            Consumer<D> index) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        JsonNode before =
                existing != null && existing.isLive()
                        ? TykJson.readObject(existing.document)
                        : null;
        D entity = existing;
        if (entity == null) {
            entity = kind.create().get();
            entity.id = id;
            entity.createdAt = now;
        }
        entity.version++;
        entity.updatedAt = now;
        String data = null;
        if (document == null) {
            entity.deletedAt = now;
        } else {
            data = TykJson.encode(document).stripTrailing();
            entity.deletedAt = null;
            entity.orgId = orgId;
            entity.document = data;
            index.accept(entity);
        }
        var event =
                AdminEvents.event(
                        document == null ? kind.deletedType() : kind.upsertedType(),
                        id,
                        entity.version,
                        origin,
                        data);
        var audit = new AuditDraft(kind.auditType(), id, entity.version, before, document, origin);
        D stored = entity;
        return session.persist(stored)
                .call(() -> session.persist(OutboxEventEntity.of(kind.topic().name(), event)))
                .call(() -> journal.append(session, audit))
                .replaceWith(stored);
    }

    /** A live document, or null. */
    public Uni<D> find(String id) {
        return Panache.withSession(
                        () ->
                                Panache.getSession()
                                        .flatMap(session -> session.find(kind.entity(), id)))
                .map(found -> found != null && found.isLive() ? found : null);
    }

    /** Every live document, by id. */
    public Uni<List<D>> all() {
        return Panache.withSession(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        session ->
                                                session.createQuery(
                                                                "from "
                                                                        + kind.entity()
                                                                                .getSimpleName()
                                                                        + " where deletedAt is null order by id",
                                                                kind.entity())
                                                        .getResultList()));
    }
}
