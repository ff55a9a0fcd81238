package gatehouse.keys.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.audit.AuditDraft;
import gatehouse.contracts.audit.AuditJournal;
import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.outbox.OutboxEventEntity;
import gatehouse.contracts.outbox.OutboxPublication;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.keys.messaging.KeyEvents;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.hibernate.LockMode;

/**
 * Stores organisation sessions and announces them on {@code gatehouse.keys} as {@code
 * orgkey.<org>}.
 */
@ApplicationScoped
public class OrgKeyStore {

    /** The record key of an org session on {@code gatehouse.keys}, as Tyk's Redis key. */
    public static String subject(String orgId) {
        return "orgkey." + orgId;
    }

    private final OutboxPublication publication;
    private final AuditJournal journal;

    OrgKeyStore(OutboxPublication publication, AuditJournal journal) {
        this.publication = publication;
        this.journal = journal;
    }

    /**
     * Writes (session non-null) or deletes an org session.
     *
     * @param mustExist only change a live one
     * @return the written row, or null when {@code mustExist} and there was none
     */
    public Uni<OrgKeyEntity> write(
            String orgId, ObjectNode session, boolean mustExist, ChangeOrigin origin) {
        return Panache.withTransaction(
                        () ->
                                Panache.getSession()
                                        .flatMap(
                                                db ->
                                                        db.find(
                                                                        OrgKeyEntity.class,
                                                                        orgId,
                                                                        LockMode.PESSIMISTIC_WRITE)
                                                                .flatMap(
                                                                        existing -> {
                                                                            boolean live =
                                                                                    existing != null
                                                                                            && existing
                                                                                                    .isLive();
                                                                            if (mustExist
                                                                                    && !live) {
                                                                                return Uni
                                                                                        .createFrom()
                                                                                        .<OrgKeyEntity>
                                                                                                nullItem();
                                                                            }
                                                                            JsonNode before =
                                                                                    live
                                                                                            ? TykJson
                                                                                                    .readObject(
                                                                                                            existing.session)
                                                                                            : null;
                                                                            OffsetDateTime now =
                                                                                    OffsetDateTime
                                                                                            .now(
                                                                                                    ZoneOffset
                                                                                                            .UTC);
                                                                            OrgKeyEntity entity =
                                                                                    existing != null
                                                                                            ? existing
                                                                                            : new OrgKeyEntity();
                                                                            if (existing == null) {
                                                                                entity.orgId =
                                                                                        orgId;
                                                                                entity.createdAt =
                                                                                        now;
                                                                                entity.session =
                                                                                        "{}";
                                                                            }
                                                                            entity.version++;
                                                                            entity.updatedAt = now;
                                                                            String data = null;
                                                                            if (session == null) {
                                                                                entity.deletedAt =
                                                                                        now;
                                                                            } else {
                                                                                entity.deletedAt =
                                                                                        null;
                                                                                entity.session =
                                                                                        TykJson
                                                                                                .encode(
                                                                                                        session)
                                                                                                .stripTrailing();
                                                                                data =
                                                                                        entity.session;
                                                                            }
                                                                            var event =
                                                                                    KeyEvents.event(
                                                                                            data
                                                                                                            == null
                                                                                                    ? EventTypes
                                                                                                            .ORG_KEY_DELETED
                                                                                                    : EventTypes
                                                                                                            .ORG_KEY_UPSERTED,
                                                                                            subject(
                                                                                                    orgId),
                                                                                            entity.version,
                                                                                            origin,
                                                                                            data);
                                                                            return db.persist(
                                                                                            entity)
                                                                                    .call(
                                                                                            () ->
                                                                                                    db
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
                                                                                                                    db,
                                                                                                                    new AuditDraft(
                                                                                                                            "org_key",
                                                                                                                            orgId,
                                                                                                                            entity.version,
                                                                                                                            before,
                                                                                                                            session,
                                                                                                                            origin)))
                                                                                    .replaceWith(
                                                                                            entity);
                                                                        })))
                .invoke(
                        written -> {
                            if (written != null) {
                                publication.wake();
                            }
                        });
    }

    /** A live org session, or null. */
    public Uni<OrgKeyEntity> find(String orgId) {
        return Panache.withSession(
                        () ->
                                Panache.getSession()
                                        .flatMap(db -> db.find(OrgKeyEntity.class, orgId)))
                .map(found -> found != null && found.isLive() ? found : null);
    }

    /** Every live org session. */
    public Uni<List<OrgKeyEntity>> all() {
        return Panache.withSession(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        db ->
                                                db.createQuery(
                                                                "from OrgKeyEntity where deletedAt is null order by orgId",
                                                                OrgKeyEntity.class)
                                                        .getResultList()));
    }
}
