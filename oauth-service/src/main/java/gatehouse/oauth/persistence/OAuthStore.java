package gatehouse.oauth.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.audit.AuditDraft;
import gatehouse.contracts.audit.AuditEvent;
import gatehouse.contracts.audit.AuditJournal;
import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.keys.KeyState;
import gatehouse.contracts.outbox.OutboxEventEntity;
import gatehouse.contracts.outbox.OutboxPublication;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.oauth.messaging.OAuthEvents;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Stores OAuth clients, grants and access tokens. Every token and client change is published on
 * {@code gatehouse.oauth-tokens} through the outbox in the same transaction: tokens by digest with
 * their session, clients without their secret.
 */
@ApplicationScoped
public class OAuthStore {

    private final OutboxPublication publication;
    private final AuditJournal journal;

    OAuthStore(OutboxPublication publication, AuditJournal journal) {
        this.publication = publication;
        this.journal = journal;
    }

    private <T> Uni<T> inTransaction(java.util.function.Function<Mutiny.Session, Uni<T>> work) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(db -> work.apply(db)))
                .invoke(ignored -> publication.wake());
    }

    private <T> Uni<T> read(java.util.function.Function<Mutiny.Session, Uni<T>> work) {
        return Panache.withSession(() -> Panache.getSession().flatMap(db -> work.apply(db)));
    }

    // ---- clients

    /** Creates or replaces a client on one API. */
    public Uni<OAuthClientEntity> saveClient(OAuthClientEntity client, ChangeOrigin origin) {
        return inTransaction(
                db ->
                        db.find(OAuthClientEntity.class, client.id, LockMode.PESSIMISTIC_WRITE)
                                .flatMap(
                                        existing -> {
                                            JsonNode before =
                                                    existing != null && existing.isLive()
                                                            ? auditState(existing)
                                                            : null;
                                            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                                            OAuthClientEntity entity =
                                                    existing != null ? existing : client;
                                            if (existing != null) {
                                                entity.secretSealed = client.secretSealed;
                                                entity.redirectUri = client.redirectUri;
                                                entity.policyId = client.policyId;
                                                entity.metaData = client.metaData;
                                                entity.description = client.description;
                                                entity.orgId = client.orgId;
                                            } else {
                                                entity.createdAt = now;
                                            }
                                            entity.deletedAt = null;
                                            entity.version++;
                                            entity.updatedAt = now;
                                            return db.persist(entity)
                                                    .call(() -> clientEvent(db, entity, origin))
                                                    .call(() -> audit(db, entity, before, origin))
                                                    .replaceWith(entity);
                                        }));
    }

    /**
     * Changes a live client under a row lock.
     *
     * @param change edits the client; returns true when the client's tokens must be revoked too
     * @return the client, or null when there is none
     */
    public Uni<OAuthClientEntity> changeClient(
            String apiId,
            String clientId,
            java.util.function.Predicate<OAuthClientEntity> change,
            ChangeOrigin origin) {
        return inTransaction(
                db ->
                        db.find(
                                        OAuthClientEntity.class,
                                        OAuthClientEntity.idOf(apiId, clientId),
                                        LockMode.PESSIMISTIC_WRITE)
                                .flatMap(
                                        client -> {
                                            if (client == null || !client.isLive()) {
                                                return Uni.createFrom()
                                                        .<OAuthClientEntity>nullItem();
                                            }
                                            JsonNode before = auditState(client);
                                            boolean revoke = change.test(client);
                                            client.version++;
                                            client.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
                                            Uni<Void> revoked =
                                                    revoke
                                                            ? revokeTokens(
                                                                    db, apiId, clientId, origin)
                                                            : Uni.createFrom().voidItem();
                                            return db.persist(client)
                                                    .call(() -> clientEvent(db, client, origin))
                                                    .call(() -> audit(db, client, before, origin))
                                                    .call(() -> revoked)
                                                    .replaceWith(client);
                                        }));
    }

    /**
     * Deletes a client and its codes and refresh tokens; its access tokens stay until they expire
     * and every gateway refuses them as revoked (Tyk's text says so).
     *
     * @return false when there was none
     */
    public Uni<Boolean> deleteClient(String apiId, String clientId, ChangeOrigin origin) {
        return inTransaction(
                db ->
                        db.find(
                                        OAuthClientEntity.class,
                                        OAuthClientEntity.idOf(apiId, clientId),
                                        LockMode.PESSIMISTIC_WRITE)
                                .flatMap(
                                        client -> {
                                            if (client == null || !client.isLive()) {
                                                return Uni.createFrom().item(false);
                                            }
                                            JsonNode before = auditState(client);
                                            client.version++;
                                            client.deletedAt = OffsetDateTime.now(ZoneOffset.UTC);
                                            client.updatedAt = client.deletedAt;
                                            // a record, not a Kafka tombstone: compaction must
                                            // never forget that the client is gone, or
                                            // its unexpired tokens would be accepted again by a
                                            // gateway that starts later
                                            String data =
                                                    TykJson.encode(
                                                                    Map.of(
                                                                            "api_id",
                                                                            apiId,
                                                                            "client_id",
                                                                            clientId,
                                                                            "deleted",
                                                                            true))
                                                            .stripTrailing();
                                            var event =
                                                    OAuthEvents.event(
                                                            EventTypes.OAUTH_CLIENT_DELETED,
                                                            EventTypes.oauthClientSubject(
                                                                    apiId, clientId),
                                                            client.version,
                                                            origin,
                                                            data);
                                            return db.persist(client)
                                                    .call(
                                                            () ->
                                                                    db.persist(
                                                                            OutboxEventEntity.of(
                                                                                    Topics
                                                                                            .OAUTH_TOKENS
                                                                                            .name(),
                                                                                    event)))
                                                    .call(
                                                            () ->
                                                                    db.createMutationQuery(
                                                                                    "delete from OAuthGrantEntity where apiId = :api and clientId = :client")
                                                                            .setParameter(
                                                                                    "api", apiId)
                                                                            .setParameter(
                                                                                    "client",
                                                                                    clientId)
                                                                            .executeUpdate())
                                                    .call(() -> audit(db, client, before, origin))
                                                    .replaceWith(true);
                                        }));
    }

    /** A client as the audit log records it: everything but the secret. */
    static JsonNode auditState(OAuthClientEntity client) {
        ObjectNode state = TykJson.MAPPER.createObjectNode();
        state.put("api_id", client.apiId);
        state.put("client_id", client.clientId);
        state.put("org_id", client.orgId);
        state.put("redirect_uri", client.redirectUri);
        state.put("policy_id", client.policyId);
        state.put("description", client.description);
        state.set(
                "meta_data", client.metaData == null ? null : TykJson.readObject(client.metaData));
        state.put("client_secret", client.secretSealed == null ? "" : "sealed");
        // the secret's digest never enters the log; a re-sealed secret shows as a changed seal
        state.put(
                "secret_seal",
                client.secretSealed == null
                        ? ""
                        : org.apache.commons.codec.digest.DigestUtils.sha256Hex(client.secretSealed)
                                .substring(0, 16));
        return state;
    }

    private Uni<AuditEvent> audit(
            Mutiny.Session db, OAuthClientEntity client, JsonNode before, ChangeOrigin origin) {
        return journal.append(
                db,
                new AuditDraft(
                        "oauth_client",
                        client.apiId + "/" + client.clientId,
                        client.version,
                        before,
                        client.isLive() ? auditState(client) : null,
                        origin));
    }

    private Uni<Void> clientEvent(
            Mutiny.Session db, OAuthClientEntity client, ChangeOrigin origin) {
        String data =
                TykJson.encode(
                                Map.of(
                                        "api_id",
                                        client.apiId,
                                        "client_id",
                                        client.clientId,
                                        "policy_id",
                                        client.policyId == null ? "" : client.policyId))
                        .stripTrailing();
        var event =
                OAuthEvents.event(
                        EventTypes.OAUTH_CLIENT_UPSERTED,
                        EventTypes.oauthClientSubject(client.apiId, client.clientId),
                        client.version,
                        origin,
                        data);
        return db.persist(OutboxEventEntity.of(Topics.OAUTH_TOKENS.name(), event));
    }

    public Uni<OAuthClientEntity> findClient(String apiId, String clientId) {
        return read(db -> db.find(OAuthClientEntity.class, OAuthClientEntity.idOf(apiId, clientId)))
                .map(client -> client != null && client.isLive() ? client : null);
    }

    public Uni<List<OAuthClientEntity>> clientsOf(String apiId) {
        return read(
                db ->
                        db.createQuery(
                                        "from OAuthClientEntity where apiId = :api and deletedAt is null order by clientId",
                                        OAuthClientEntity.class)
                                .setParameter("api", apiId)
                                .getResultList());
    }

    public Uni<List<OAuthClientEntity>> registrationsOf(String clientId) {
        return read(
                db ->
                        db.createQuery(
                                        "from OAuthClientEntity where clientId = :client and deletedAt is null order by apiId",
                                        OAuthClientEntity.class)
                                .setParameter("client", clientId)
                                .getResultList());
    }

    // ---- grants and tokens

    /** Stores an authorisation code or refresh token. */
    public Uni<OAuthGrantEntity> saveGrant(OAuthGrantEntity grant) {
        grant.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        return inTransaction(db -> db.persist(grant).replaceWith(grant));
    }

    public Uni<OAuthGrantEntity> findGrant(String digest) {
        return read(db -> db.find(OAuthGrantEntity.class, digest));
    }

    /** Deletes a grant; true when it existed. */
    public Uni<Boolean> deleteGrant(String digest) {
        return inTransaction(
                db ->
                        db.find(OAuthGrantEntity.class, digest, LockMode.PESSIMISTIC_WRITE)
                                .flatMap(
                                        grant ->
                                                grant == null
                                                        ? Uni.createFrom().item(false)
                                                        : db.remove(grant).replaceWith(true)));
    }

    /**
     * Issues an access token (and a refresh token, when given) in one transaction, using up a grant
     * (a code, or the refresh token being exchanged) and revoking the access token it replaces.
     *
     * @return false when the grant was already used (nothing issued)
     */
    public Uni<Boolean> issue(
            OAuthTokenEntity token,
            OAuthGrantEntity refresh,
            String usedGrant,
            String replacedToken,
            ChangeOrigin origin) {
        return inTransaction(
                db -> {
                    Uni<Boolean> grantOk =
                            usedGrant == null
                                    ? Uni.createFrom().item(true)
                                    : db.find(
                                                    OAuthGrantEntity.class,
                                                    usedGrant,
                                                    LockMode.PESSIMISTIC_WRITE)
                                            .flatMap(
                                                    grant ->
                                                            grant == null
                                                                    ? Uni.createFrom().item(false)
                                                                    : db.remove(grant)
                                                                            .replaceWith(true));
                    return grantOk.flatMap(
                            ok -> {
                                if (!ok) {
                                    return Uni.createFrom().item(false);
                                }
                                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                                token.createdAt = now;
                                token.updatedAt = now;
                                token.version = 1;
                                Uni<Void> revoked =
                                        replacedToken == null
                                                ? Uni.createFrom().voidItem()
                                                : db.find(
                                                                OAuthTokenEntity.class,
                                                                replacedToken,
                                                                LockMode.PESSIMISTIC_WRITE)
                                                        .flatMap(
                                                                old ->
                                                                        old == null || !old.isLive()
                                                                                ? Uni.createFrom()
                                                                                        .voidItem()
                                                                                : tombstone(
                                                                                        db, old,
                                                                                        origin));
                                Uni<Void> refreshed =
                                        refresh == null
                                                ? Uni.createFrom().voidItem()
                                                : Uni.createFrom()
                                                        .item(refresh)
                                                        .invoke(r -> r.createdAt = now)
                                                        .flatMap(db::persist);
                                return db.persist(token)
                                        .call(
                                                () ->
                                                        db.persist(
                                                                OutboxEventEntity.of(
                                                                        Topics.OAUTH_TOKENS.name(),
                                                                        OAuthEvents.event(
                                                                                EventTypes
                                                                                        .OAUTH_TOKEN_UPSERTED,
                                                                                token.digest,
                                                                                token.version,
                                                                                origin,
                                                                                stateOf(token)))))
                                        .call(() -> revoked)
                                        .call(() -> refreshed)
                                        .replaceWith(true);
                            });
                });
    }

    public Uni<OAuthTokenEntity> findToken(String digest) {
        return read(db -> db.find(OAuthTokenEntity.class, digest))
                .map(t -> t != null && t.isLive() ? t : null);
    }

    /** Revokes one access token; true when it was live. */
    public Uni<Boolean> revokeToken(String digest, ChangeOrigin origin) {
        return inTransaction(
                db ->
                        db.find(OAuthTokenEntity.class, digest, LockMode.PESSIMISTIC_WRITE)
                                .flatMap(
                                        token ->
                                                token == null || !token.isLive()
                                                        ? Uni.createFrom().item(false)
                                                        : tombstone(db, token, origin)
                                                                .replaceWith(true)));
    }

    /** Revokes every live token of a client on an API, and its refresh tokens. */
    public Uni<Void> revokeClientTokens(String apiId, String clientId, ChangeOrigin origin) {
        return inTransaction(db -> revokeTokens(db, apiId, clientId, origin));
    }

    private Uni<Void> revokeTokens(
            Mutiny.Session db, String apiId, String clientId, ChangeOrigin origin) {
        return db.createQuery(
                        "from OAuthTokenEntity where apiId = :api and clientId = :client and deletedAt is null",
                        OAuthTokenEntity.class)
                .setParameter("api", apiId)
                .setParameter("client", clientId)
                .setLockMode(LockMode.PESSIMISTIC_WRITE)
                .getResultList()
                .flatMap(
                        tokens -> {
                            Uni<Void> all = Uni.createFrom().voidItem();
                            for (OAuthTokenEntity token : tokens) {
                                all = all.call(() -> tombstone(db, token, origin));
                            }
                            return all;
                        })
                .call(
                        () ->
                                db.createMutationQuery(
                                                "delete from OAuthGrantEntity where apiId = :api and clientId = :client")
                                        .setParameter("api", apiId)
                                        .setParameter("client", clientId)
                                        .executeUpdate());
    }

    private Uni<Void> tombstone(Mutiny.Session db, OAuthTokenEntity token, ChangeOrigin origin) {
        token.version++;
        token.deletedAt = OffsetDateTime.now(ZoneOffset.UTC);
        token.updatedAt = token.deletedAt;
        var event =
                OAuthEvents.event(
                        EventTypes.OAUTH_TOKEN_DELETED, token.digest, token.version, origin, null);
        return db.persist(token)
                .call(() -> db.persist(OutboxEventEntity.of(Topics.OAUTH_TOKENS.name(), event)))
                .replaceWithVoid();
    }

    /** The live, unexpired tokens of a client on an API, soonest expiry first. */
    public Uni<List<OAuthTokenEntity>> tokensOf(String apiId, String clientId, long nowSeconds) {
        return read(
                db ->
                        db.createQuery(
                                        "from OAuthTokenEntity where apiId = :api and clientId = :client "
                                                + "and deletedAt is null and expiresAt > :now order by expiresAt, digest",
                                        OAuthTokenEntity.class)
                                .setParameter("api", apiId)
                                .setParameter("client", clientId)
                                .setParameter("now", nowSeconds)
                                .getResultList());
    }

    /** Removes what has expired: tokens (published as deleted) and grants. @return tokens purged */
    public Uni<Integer> purgeLapsed(long nowSeconds, ChangeOrigin origin) {
        return inTransaction(
                db ->
                        db.createQuery(
                                        "from OAuthTokenEntity where deletedAt is null and expiresAt <= :now",
                                        OAuthTokenEntity.class)
                                .setParameter("now", nowSeconds)
                                .setLockMode(LockMode.PESSIMISTIC_WRITE)
                                .getResultList()
                                .flatMap(
                                        tokens -> {
                                            Uni<Void> all = Uni.createFrom().voidItem();
                                            for (OAuthTokenEntity token : tokens) {
                                                all = all.call(() -> tombstone(db, token, origin));
                                            }
                                            return all.replaceWith(tokens.size());
                                        })
                                .call(
                                        () ->
                                                db.createMutationQuery(
                                                                "delete from OAuthGrantEntity where expiresAt <= :now")
                                                        .setParameter("now", nowSeconds)
                                                        .executeUpdate()));
    }

    /** The {@link KeyState} a token's events and look-ups carry. */
    public static String stateOf(OAuthTokenEntity token) {
        try {
            ObjectNode session = (ObjectNode) TykJson.MAPPER.readTree(token.session);
            return TykJson.encode(new KeyState(token.keyHash, session, Map.of(), null))
                    .stripTrailing();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored token session", e);
        }
    }
}
