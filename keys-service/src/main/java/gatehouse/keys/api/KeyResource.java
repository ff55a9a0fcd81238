package gatehouse.keys.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.catalog.AdminReadThrough;
import gatehouse.contracts.catalog.PolicyCatalog;
import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.http.ChangeOrigins;
import gatehouse.contracts.http.TykException;
import gatehouse.contracts.http.TykResponses;
import gatehouse.contracts.keys.KeyDigest;
import gatehouse.contracts.keys.SessionSecrets;
import gatehouse.contracts.keys.TykKeys;
import gatehouse.contracts.tyk.ModifyResult;
import gatehouse.contracts.tyk.PolicyApplier;
import gatehouse.contracts.tyk.SessionDocuments;
import gatehouse.contracts.tyk.TykMessages;
import gatehouse.keys.domain.KeySessions;
import gatehouse.keys.domain.KeySettings;
import gatehouse.keys.domain.SessionValidator;
import gatehouse.keys.persistence.KeyEntity;
import gatehouse.keys.persistence.KeyStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Tyk's {@code /tyk/keys} endpoints (COMPAT §2) as Tyk answers them with {@code hash_keys: true}:
 * keys are stored by digest only, so listings show Tyk's key hashes. Every change is published on
 * {@code gatehouse.keys} and live on the gateways without a reload.
 */
@Path("/tyk/keys")
public class KeyResource {

    static final String KEY_NOT_FOUND = "Key not found";
    private static final String CREATE_FAILED =
            "Failed to create key, ensure security settings are correct.";
    private static final String UNMARSHALLING_FAILED = "Unmarshalling failed";

    private final KeyStore store;
    private final PolicyCatalog policies;
    private final KeySettings settings;
    private final KeyDigest digest;
    private final SessionSecrets secrets;

    private final AdminReadThrough admin;

    KeyResource(
            KeyStore store,
            PolicyCatalog policies,
            KeySettings settings,
            KeyDigest digest,
            SessionSecrets secrets,
            AdminReadThrough admin) {
        this.admin = admin;
        this.secrets = secrets;
        this.store = store;
        this.policies = policies;
        this.settings = settings;
        this.digest = digest;
    }

    @GET
    public Uni<Response> list(@QueryParam("api_id") String apiId) {
        if (!settings.enableHashedKeysListing()) {
            throw new TykException(
                    404, "Hashed key listing is disabled in config (enable_hashed_keys_listing)");
        }
        return store.all()
                .map(
                        keys -> {
                            var hashes = new TreeSet<String>();
                            for (KeyEntity key : keys) {
                                if (apiId == null
                                        || apiId.isEmpty()
                                        || grants(KeyStore.sessionOf(key), apiId)) {
                                    hashes.add(key.keyHash);
                                }
                            }
                            return TykResponses.ok(Map.of("keys", List.copyOf(hashes)));
                        });
    }

    private boolean grants(ObjectNode session, String apiId) {
        JsonNode rights = session.path("access_rights");
        return rights.has(apiId) || (settings.allowMasterKeys() && rights.isEmpty());
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> add(String body, @Context HttpServerRequest request) {
        return create(null, body, false, request);
    }

    @POST
    @Path("create")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> createKey(String body, @Context HttpServerRequest request) {
        return create(null, body, true, request);
    }

    @POST
    @Path("{key}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> addCustom(
            @PathParam("key") String key, String body, @Context HttpServerRequest request) {
        return create(key, body, false, request);
    }

    /**
     * Tyk's {@code handleAddOrUpdate} for new keys and {@code createKeyHandler}, with their
     * different texts.
     */
    private Uni<Response> create(
            String customKey, String body, boolean createEndpoint, HttpServerRequest request) {
        // Tyk answers an undecodable body to /keys/create with a 500; a client error is a 400 here
        String decodeText = createEndpoint ? UNMARSHALLING_FAILED : TykMessages.REQUEST_MALFORMED;
        ObjectNode sent = KeySessions.read(body);
        if (sent == null) {
            throw new TykException(400, decodeText);
        }
        int minLength = settings.effectiveMinTokenLength();
        if (customKey != null && customKey.length() < minLength) {
            throw new TykException(
                    400,
                    "custom key ID length "
                            + customKey.length()
                            + " is less than min_token_length ("
                            + minLength
                            + "); the key would be unreachable at auth time. Use an ID of at least min_token_length "
                            + "characters, or lower min_token_length in the gateway configuration.");
        }
        checked(
                () -> {
                    SessionValidator.validateKeyId(customKey);
                    SessionValidator.validate(sent);
                },
                decodeText);
        String orgId = sent.path("org_id").asText("");
        // Tyk's certificate-bound key: its name is made from the certificate's id, one per
        // certificate
        String certificate = sent.path("certificate").asText("");
        boolean bound = createEndpoint && customKey == null && !certificate.isEmpty();
        String key =
                TykKeys.generate(
                        orgId, bound ? certificate : customKey, settings.hashKeyFunction());
        // stored and published with its secrets sealed
        ObjectNode session = secrets.seal(KeySessions.prepareNew(sent, Instant.now(), settings));
        ChangeOrigin origin = ChangeOrigins.adminSecret(request);
        // a policy written a moment ago is seen through its owner until its event arrives (ADR
        // 0008)
        return policies.seeingWrites(KeySessions.policyIds(session))
                .chain(
                        lookup -> {
                            ObjectNode applied;
                            try {
                                applied = KeySessions.applyPolicies(session, lookup);
                            } catch (PolicyApplier.PolicyException e) {
                                throw new TykException(
                                        500,
                                        createEndpoint
                                                ? "Failed to create key - " + e.getMessage()
                                                : CREATE_FAILED);
                            }
                            // Tyk answers POST /tyk/keys[/{name}] without access rights with a 500
                            // and another text
                            checked(
                                    () ->
                                            SessionValidator.requireAccessRights(
                                                    applied, settings.allowMasterKeys()),
                                    decodeText);
                            String keyHash = TykKeys.keyHash(key);
                            return store.change(
                                            digest.of(key),
                                            existing ->
                                                    bound && existing != null
                                                            ? null
                                                            : new KeyStore.Change(
                                                                    keyHash, orgId, applied, true),
                                            origin)
                                    .map(
                                            written -> {
                                                if (written == null) {
                                                    throw new TykException(
                                                            500,
                                                            "Failed to create key - Key with given certificate already found:"
                                                                    + key);
                                                }
                                                return written;
                                            })
                                    .map(
                                            written ->
                                                    TykResponses.ok(
                                                            new ModifyResult(
                                                                    KeySessions.isBasicAuth(applied)
                                                                            ? ""
                                                                            : key,
                                                                    "ok",
                                                                    "added",
                                                                    keyHash)));
                        });
    }

    @PUT
    @Path("{key}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(
            @PathParam("key") String key,
            String body,
            @QueryParam("suppress_reset") String suppressReset,
            @QueryParam("hashed") String hashed,
            @QueryParam("org_id") String orgId,
            @QueryParam("username") String username,
            @Context HttpServerRequest request) {
        checked(() -> SessionValidator.validateKeyId(key), TykMessages.REQUEST_MALFORMED);
        ObjectNode sent = KeySessions.read(body);
        if (sent == null) {
            throw new TykException(400, TykMessages.REQUEST_MALFORMED);
        }
        checked(() -> SessionValidator.validate(sent), TykMessages.REQUEST_MALFORMED);
        boolean suppress = "1".equals(suppressReset);
        String lookupOrg = orgId != null ? orgId : sent.path("org_id").asText("");
        ChangeOrigin origin = ChangeOrigins.adminSecret(request);
        String certificate = sent.path("certificate").asText("");
        return policies.seeingWrites(KeySessions.policyIds(sent))
                .chain(
                        lookup ->
                                resolve(key, hashed, lookupOrg, username)
                                        .flatMap(
                                                found -> {
                                                    if (found == null) {
                                                        throw new TykException(
                                                                404, "Key is not found");
                                                    }
                                                    return certificateKnown(found, certificate)
                                                            .map(
                                                                    known ->
                                                                            new UpdateChecks(
                                                                                    found, known,
                                                                                    lookup));
                                                })
                                        .flatMap(
                                                checks -> {
                                                    KeyEntity found = checks.found();
                                                    return store.change(
                                                                    found.keyId,
                                                                    live -> {
                                                                        if (live == null) {
                                                                            throw new TykException(
                                                                                    404,
                                                                                    "Key is not found");
                                                                        }
                                                                        requireCertificate(
                                                                                KeyStore.sessionOf(
                                                                                                live)
                                                                                        .path(
                                                                                                "certificate")
                                                                                        .asText(""),
                                                                                certificate,
                                                                                checks
                                                                                        .certificateKnown());
                                                                        ObjectNode session =
                                                                                secrets.seal(
                                                                                        KeySessions
                                                                                                .prepareUpdate(
                                                                                                        KeyStore
                                                                                                                .sessionOf(
                                                                                                                        live),
                                                                                                        sent,
                                                                                                        suppress,
                                                                                                        Instant
                                                                                                                .now(),
                                                                                                        settings));
                                                                        ObjectNode applied;
                                                                        try {
                                                                            applied =
                                                                                    KeySessions
                                                                                            .applyPolicies(
                                                                                                    session,
                                                                                                    checks
                                                                                                            .policies());
                                                                        } catch (
                                                                                PolicyApplier
                                                                                                .PolicyException
                                                                                        e) {
                                                                            throw new TykException(
                                                                                    500,
                                                                                    CREATE_FAILED);
                                                                        }
                                                                        // an update must not turn a
                                                                        // scoped key into a master
                                                                        // key (Tyk only checks on
                                                                        // create)
                                                                        checked(
                                                                                () ->
                                                                                        SessionValidator
                                                                                                .requireAccessRights(
                                                                                                        applied,
                                                                                                        settings
                                                                                                                .allowMasterKeys()),
                                                                                TykMessages
                                                                                        .REQUEST_MALFORMED);
                                                                        return new KeyStore.Change(
                                                                                live.keyHash,
                                                                                applied.path(
                                                                                                "org_id")
                                                                                        .asText(""),
                                                                                applied,
                                                                                !suppress);
                                                                    },
                                                                    origin)
                                                            .map(
                                                                    written ->
                                                                            TykResponses.ok(
                                                                                    ModifyResult
                                                                                            .modified(
                                                                                                    key)));
                                                }));
    }

    /** What an update found and checked before it writes. */
    private record UpdateChecks(
            KeyEntity found,
            boolean certificateKnown,
            java.util.function.Function<String, ObjectNode> policies) {}

    /**
     * Whether the certificate an update binds the key to is in admin-service's store; asked only
     * when the update changes it to another one.
     */
    private Uni<Boolean> certificateKnown(KeyEntity found, String certificate) {
        String before = KeyStore.sessionOf(found).path("certificate").asText("");
        if (certificate.isEmpty() || certificate.equals(before)) {
            return Uni.createFrom().item(true);
        }
        return admin.certificate(certificate).map(meta -> meta != null);
    }

    /**
     * Tyk's checks of a certificate-bound key's update: it stays bound, to a stored certificate.
     */
    private static void requireCertificate(String before, String after, boolean afterKnown) {
        if (before.equals(after)) {
            return;
        }
        if (after.isEmpty()) {
            throw new TykException(400, "Key cannot be used without a certificate");
        }
        if (!afterKnown) {
            throw new TykException(400, "Key must be used with an existent certificate");
        }
    }

    @GET
    @Path("{key}")
    public Uni<Response> get(
            @PathParam("key") String key,
            @QueryParam("hashed") String hashed,
            @QueryParam("org_id") String orgId,
            @QueryParam("username") String username) {
        checked(() -> SessionValidator.validateKeyId(key), TykMessages.REQUEST_MALFORMED);
        return resolve(key, hashed, orgId, username)
                .map(
                        found -> {
                            if (found == null) {
                                throw new TykException(404, KEY_NOT_FOUND);
                            }
                            ObjectNode session = KeyStore.sessionOf(found);
                            ObjectNode applied;
                            try {
                                applied = KeySessions.applyPolicies(session, policies::policy);
                            } catch (PolicyApplier.PolicyException e) {
                                applied = session; // shown as stored; the gateway refuses it
                            }
                            return TykResponses.ok(
                                    KeySessions.forDisplay(
                                            secrets.open(applied),
                                            KeyStore.quotasOf(found),
                                            Instant.now()));
                        });
    }

    @DELETE
    @Path("{key}")
    public Uni<Response> delete(
            @PathParam("key") String key,
            @QueryParam("hashed") String hashed,
            @QueryParam("org_id") String orgId,
            @QueryParam("username") String username,
            @QueryParam("api_id") String apiId,
            @Context HttpServerRequest request) {
        checked(() -> SessionValidator.validateKeyId(key), TykMessages.REQUEST_MALFORMED);
        ChangeOrigin origin = ChangeOrigins.adminSecret(request);
        return resolve(key, hashed, orgId, username)
                .flatMap(
                        found -> {
                            if (found == null) {
                                throw new TykException(404, "There is no such key found");
                            }
                            return store.change(
                                            found.keyId,
                                            live -> live == null ? null : KeyStore.Change.delete(),
                                            origin)
                                    .map(
                                            deleted -> {
                                                if (deleted == null) {
                                                    throw new TykException(
                                                            404, "There is no such key found");
                                                }
                                                // Tyk answers a delete "for every API" with a null
                                                // body
                                                return "-1".equals(apiId)
                                                        ? TykResponses.ok(null)
                                                        : TykResponses.ok(
                                                                ModifyResult.deleted(key));
                                            });
                        });
    }

    @POST
    @Path("preview")
    @Consumes(MediaType.WILDCARD)
    public Response preview(String body) {
        ObjectNode sent = KeySessions.read(body);
        if (sent == null) {
            throw new TykException(400, UNMARSHALLING_FAILED);
        }
        checked(() -> SessionValidator.validate(sent), UNMARSHALLING_FAILED);
        try {
            return TykResponses.ok(
                    SessionDocuments.withDefaults(
                            KeySessions.applyPolicies(sent, policies::policy)));
        } catch (PolicyApplier.PolicyException e) {
            throw new TykException(500, "Failed to create key - " + e.getMessage());
        }
    }

    @POST
    @Path("policy/{hash}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> setPolicies(
            @PathParam("hash") String hash, String body, @Context HttpServerRequest request) {
        checked(() -> SessionValidator.validateKeyId(hash), "Couldn't decode instruction");
        ObjectNode instruction = KeySessions.read(body);
        if (instruction == null
                || !(instruction.path("apply_policies").isArray()
                        || instruction.path("apply_policies").isMissingNode()
                        || instruction.path("apply_policies").isNull())) {
            throw new TykException(400, "Couldn't decode instruction");
        }
        List<String> ids = new ArrayList<>();
        instruction.path("apply_policies").forEach(id -> ids.add(id.asText()));
        String single = instruction.path("policy").asText("");
        if (!single.isEmpty()) {
            ids.add(single);
        }
        ChangeOrigin origin = ChangeOrigins.adminSecret(request);
        return store.findByHash(hash)
                .flatMap(
                        found -> {
                            if (found.isEmpty()) {
                                throw new TykException(404, KEY_NOT_FOUND);
                            }
                            return store.change(
                                            found.get(0).keyId,
                                            live -> {
                                                if (live == null) {
                                                    throw new TykException(404, KEY_NOT_FOUND);
                                                }
                                                ObjectNode session = KeyStore.sessionOf(live);
                                                ArrayNode list = session.putArray("apply_policies");
                                                ids.forEach(list::add);
                                                ObjectNode applied;
                                                try {
                                                    applied =
                                                            KeySessions.applyPolicies(
                                                                    session, policies::policy);
                                                } catch (PolicyApplier.PolicyException e) {
                                                    throw new TykException(
                                                            500, "Could not write key data");
                                                }
                                                return new KeyStore.Change(
                                                        live.keyHash, live.orgId, applied, false);
                                            },
                                            origin)
                                    .map(
                                            written ->
                                                    TykResponses.ok(
                                                            new ModifyResult(
                                                                    hash, "ok", "updated", null)));
                        });
    }

    /**
     * Runs a check of {@link SessionValidator}; a refusal is a 400 in Tyk's envelope, prefixed with
     * the endpoint's decode-failure text when Go's decoder would have refused the document too.
     */
    static void checked(Runnable check, String decodeText) {
        try {
            check.run();
        } catch (SessionValidator.InvalidSession e) {
            throw new TykException(
                    400,
                    e.kind() == SessionValidator.Kind.MALFORMED
                            ? decodeText + ": " + e.getMessage()
                            : e.getMessage());
        }
    }

    /**
     * Finds a key as Tyk's {@code SessionDetail} does: by hash when {@code hashed} is set (any
     * non-empty value), a basic-auth user name with {@code username=true}, else the key itself and
     * then the key generated from it for the org.
     */
    private Uni<KeyEntity> resolve(String key, String hashed, String orgId, String username) {
        if (hashed != null && !hashed.isEmpty()) {
            return store.findByHash(key).map(found -> found.isEmpty() ? null : found.get(0));
        }
        String org = orgId == null ? "" : orgId;
        if ("true".equals(username)) {
            return store.find(digest.of(TykKeys.generate(org, key, settings.hashKeyFunction())));
        }
        Uni<KeyEntity> direct = store.find(digest.of(key));
        if (org.isEmpty() || org.equals(TykKeys.orgOf(key))) {
            return direct;
        }
        String generated = TykKeys.generate(org, key, settings.hashKeyFunction());
        return direct.flatMap(
                found ->
                        found != null
                                ? Uni.createFrom().item(found)
                                : store.find(digest.of(generated)));
    }
}
