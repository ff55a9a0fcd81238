package gatehouse.contracts.audit;

import gatehouse.contracts.outbox.SafeContext;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Signs a checkpoint of the owner's audit chain every {@code gatehouse.audit.checkpoint-interval}
 * (when the chain moved) with the Ed25519 key {@code gatehouse.audit.signing-key}, and keeps it in
 * the owner's database. Without a key the chain is still written and checked, but a truncated tail
 * cannot be told from a quiet owner; the service says so at start.
 */
@ApplicationScoped
@IfBuildProperty(name = "gatehouse.outbox.enabled", stringValue = "true")
public class AuditCheckpointing {

    private static final Logger LOGGER = Logger.getLogger(AuditCheckpointing.class);

    private final AuditJournal journal;
    private final Mutiny.SessionFactory sessions;
    private final Vertx vertx;
    private final AuditSigner signer;
    private final Duration interval;
    private long timer = -1;

    AuditCheckpointing(
            AuditJournal journal,
            Mutiny.SessionFactory sessions,
            Vertx vertx,
            @ConfigProperty(name = "gatehouse.audit.signing-key") Optional<String> signingKey,
            @ConfigProperty(name = "gatehouse.audit.checkpoint-interval", defaultValue = "60s")
                    Duration interval) {
        this.journal = journal;
        this.sessions = sessions;
        this.vertx = vertx;
        this.signer =
                signingKey
                        .filter(key -> !key.isBlank())
                        .map(AuditSigner::fromPrivateKey)
                        .orElse(null);
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        if (signer == null) {
            LOGGER.warn(
                    "no audit signing key (gatehouse.audit.signing-key): audit checkpoints are off,"
                            + " a truncated audit log cannot be detected");
            return;
        }
        timer =
                vertx.setPeriodic(
                        interval.toMillis(),
                        id ->
                                SafeContext.run(vertx, this::checkpoint)
                                        .subscribe()
                                        .with(
                                                signed -> {},
                                                failure ->
                                                        LOGGER.warnf(
                                                                "audit checkpoint not signed: %s",
                                                                failure.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    /** The public half of the signing key, or null when checkpoints are off. */
    public String publicKey() {
        return signer == null ? null : signer.publicKey();
    }

    /**
     * Signs a checkpoint of the chain's head now, unless the newest checkpoint already covers it.
     *
     * @return the newest checkpoint (null when the chain is empty)
     * @throws IllegalStateException (as a failure) when checkpoints are off
     */
    public Uni<AuditCheckpoint> checkpoint() {
        if (signer == null) {
            return Uni.createFrom()
                    .failure(
                            new IllegalStateException("audit checkpoints are off: no signing key"));
        }
        return sessions.withTransaction(
                session ->
                        session.find(AuditChainHead.class, AuditChainHead.ROW)
                                .flatMap(
                                        head ->
                                                newest(session, 1)
                                                        .flatMap(
                                                                held -> {
                                                                    if (head == null
                                                                            || head.seq == 0) {
                                                                        return Uni.createFrom()
                                                                                .nullItem();
                                                                    }
                                                                    if (!held.isEmpty()
                                                                            && held.get(0).seq()
                                                                                    >= head.seq) {
                                                                        return Uni.createFrom()
                                                                                .item(held.get(0));
                                                                    }
                                                                    return store(session, head);
                                                                })));
    }

    private Uni<AuditCheckpoint> store(Mutiny.Session session, AuditChainHead head) {
        AuditCheckpoint signed =
                signer.sign(
                        new AuditCheckpoint(
                                journal.owner(),
                                head.chain,
                                head.seq,
                                head.hash,
                                // the database keeps microseconds; the signature must cover what is
                                // read back
                                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS),
                                null));
        var row = new AuditCheckpointEntity();
        row.seq = signed.seq();
        row.hash = signed.hash();
        row.signedAt = signed.time().atOffset(ZoneOffset.UTC);
        row.signature = signed.signature();
        return session.persist(row).replaceWith(signed);
    }

    /** The newest checkpoints, newest first. */
    public Uni<List<AuditCheckpoint>> newest(int limit) {
        return sessions.withSession(session -> newest(session, limit));
    }

    private Uni<List<AuditCheckpoint>> newest(Mutiny.Session session, int limit) {
        return session.find(AuditChainHead.class, AuditChainHead.ROW)
                .flatMap(head -> newest(session, head == null ? "" : head.chain, limit));
    }

    private Uni<List<AuditCheckpoint>> newest(Mutiny.Session session, String chain, int limit) {
        return session.createQuery(
                        "from AuditCheckpointEntity order by seq desc", AuditCheckpointEntity.class)
                .setMaxResults(limit)
                .getResultList()
                .map(
                        rows ->
                                rows.stream()
                                        .map(
                                                row ->
                                                        new AuditCheckpoint(
                                                                journal.owner(),
                                                                chain,
                                                                row.seq,
                                                                row.hash,
                                                                instant(row.signedAt),
                                                                row.signature))
                                        .toList());
    }

    private static Instant instant(OffsetDateTime time) {
        return time.toInstant();
    }
}
