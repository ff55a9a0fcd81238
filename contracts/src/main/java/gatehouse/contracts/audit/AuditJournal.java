package gatehouse.contracts.audit;

import com.fasterxml.jackson.databind.JsonNode;
import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.outbox.OutboxEventEntity;
import gatehouse.contracts.outbox.OutboxPublication;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Writes an owner's audit entries (DESIGN.md §6): each one numbered and chained under a lock on the
 * chain's head row, and put in the outbox in the transaction of the change it records, so a
 * committed change has exactly one entry and a rolled-back one none. {@code
 * gatehouse.audit.enabled=false} turns it off (only to measure what it costs).
 */
@ApplicationScoped
@IfBuildProperty(name = "gatehouse.outbox.enabled", stringValue = "true")
public class AuditJournal {

    private final String owner;
    private final OutboxPublication publication;
    private final Mutiny.SessionFactory sessions;
    private final long refusalsPerSecond;
    private final boolean enabled;
    private long refusalWindow;
    private long refusalsInWindow;
    private long refusalsSuppressed;

    AuditJournal(
            @ConfigProperty(name = "quarkus.application.name") String owner,
            @ConfigProperty(name = "gatehouse.audit.refusals-per-second", defaultValue = "20")
                    long refusalsPerSecond,
            @ConfigProperty(name = "gatehouse.audit.enabled", defaultValue = "true")
                    boolean enabled,
            OutboxPublication publication,
            Mutiny.SessionFactory sessions) {
        this.owner = owner;
        this.enabled = enabled;
        this.refusalsPerSecond = refusalsPerSecond;
        this.publication = publication;
        this.sessions = sessions;
    }

    /** The owner's name in its entries. */
    public String owner() {
        return owner;
    }

    /**
     * Records a change in the caller's transaction: call it in the transaction that makes the
     * change, after the change is decided.
     */
    public Uni<AuditEvent> append(Mutiny.Session session, AuditDraft draft) {
        if (!enabled) {
            return Uni.createFrom().nullItem();
        }
        JsonNode before = AuditRedaction.redact(draft.before());
        JsonNode after = AuditRedaction.redact(draft.after());
        ChangeOrigin origin = draft.origin();
        return record(
                session,
                draft.resourceType() + "/" + draft.resourceId(),
                origin,
                (chain, seq, prev, now) ->
                        new AuditEvent(
                                owner,
                                chain,
                                seq,
                                prev,
                                now,
                                AuditEvent.COMMITTED,
                                draft.action(),
                                draft.resourceType(),
                                draft.resourceId(),
                                draft.version(),
                                origin.actor(),
                                origin.authMethod(),
                                origin.address(),
                                origin.requestId(),
                                0,
                                null,
                                0,
                                AuditDiff.between(before, after),
                                after,
                                null));
    }

    /**
     * Records a refused control-API call (no body) in a transaction of its own; at most {@code
     * gatehouse.audit.refusals-per-second}, the rest counted into the next entry's {@code
     * suppressed}.
     *
     * @param path the path, secrets already redacted
     * @return the entry, or null when the rate bound left it out
     */
    public Uni<AuditEvent> refused(String method, String path, int status, ChangeOrigin origin) {
        long suppressed = enabled ? admitRefusal() : -1;
        if (suppressed < 0) {
            return Uni.createFrom().nullItem();
        }
        return sessions.withTransaction(
                        session ->
                                record(
                                        session,
                                        "request/" + origin.requestId(),
                                        origin,
                                        (chain, seq, prev, now) ->
                                                new AuditEvent(
                                                        owner,
                                                        chain,
                                                        seq,
                                                        prev,
                                                        now,
                                                        AuditEvent.REFUSED,
                                                        method,
                                                        "request",
                                                        origin.requestId(),
                                                        0,
                                                        origin.actor(),
                                                        origin.authMethod(),
                                                        origin.address(),
                                                        origin.requestId(),
                                                        status,
                                                        path,
                                                        suppressed,
                                                        null,
                                                        null,
                                                        null)))
                .invoke(publication::wake);
    }

    /** -1 when over the bound; else how many were left out since the last admitted one. */
    private synchronized long admitRefusal() {
        long second = System.currentTimeMillis() / 1000;
        if (second != refusalWindow) {
            refusalWindow = second;
            refusalsInWindow = 0;
        }
        if (refusalsInWindow >= refusalsPerSecond) {
            refusalsSuppressed++;
            return -1;
        }
        refusalsInWindow++;
        long suppressed = refusalsSuppressed;
        refusalsSuppressed = 0;
        return suppressed;
    }

    private interface Entry {
        AuditEvent create(String chain, long seq, String prev, Instant now);
    }

    private Uni<AuditEvent> record(
            Mutiny.Session session, String subject, ChangeOrigin origin, Entry entry) {
        return session.find(
                        AuditChainHead.class, AuditChainHead.ROW, LockModeType.PESSIMISTIC_WRITE)
                .flatMap(
                        head -> {
                            if (head == null) {
                                return Uni.createFrom()
                                        .failure(
                                                new IllegalStateException(
                                                        "audit_chain has no head row: is the"
                                                                + " db/gatehouse-outbox migration"
                                                                + " applied?"));
                            }
                            AuditEvent event =
                                    entry.create(head.chain, head.seq + 1, head.hash, Instant.now())
                                            .sealed();
                            head.seq = event.seq();
                            head.hash = event.hash();
                            var envelope =
                                    new EventEnvelope(
                                            UUID.randomUUID().toString(),
                                            "/gatehouse/" + owner,
                                            EventTypes.AUDIT_RECORDED,
                                            subject,
                                            event.time(),
                                            origin.describe(),
                                            origin.requestId(),
                                            event.seq(),
                                            AuditChain.canonicalText(event.toJson(true)));
                            return session.persist(
                                            OutboxEventEntity.of(Topics.AUDIT.name(), envelope))
                                    .replaceWith(event);
                        });
    }
}
