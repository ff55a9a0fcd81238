package gatehouse.dashboard.keys.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.http.OwnerCalls;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.access.domain.Caller;
import gatehouse.dashboard.common.api.Bodies;
import gatehouse.dashboard.common.api.DashboardException;
import gatehouse.dashboard.common.domain.Pagination;
import gatehouse.dashboard.keys.domain.KeyDocuments;
import gatehouse.dashboard.keys.domain.KeyLookup;
import gatehouse.dashboard.owners.messaging.OwnedApis;
import gatehouse.dashboard.owners.messaging.Owners;
import gatehouse.dashboard.owners.messaging.Owners.Owner;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Dashboard's keys (DASHBOARD.md §5) within the caller's organisation: keys-service owns them
 * and is their only writer, through its Gateway API ({@code /tyk/keys}); reads use its internal
 * {@code /gatehouse/keys/search} and {@code /gatehouse/keys/find} (the key in a body, never a URL).
 * Keys are stored by digest only (ADR 0005), so lists show Tyk's key hashes (the id {@code
 * ?hashed=1} takes) and the raw key is only in a creation's answer. A key of another organisation
 * is refused before any write, and a written key may name only the organisation's APIs and
 * policies.
 */
@ApplicationScoped
public class KeyCalls {

    static final String NOT_OWNED = "Attempted access to non-owned key.";
    static final String NOT_FOUND = "Could not retrieve key detail.";
    static final String KEYS_NOT_FOUND = "Could not retrieve keys.";
    static final String LIST_FAILED = "Failed to unmarshal keys data from Tyk API.";
    static final String READ_FAILED = "Failed to unmarshal key data from Tyk API.";
    static final String MALFORMED = "Request body malformed.";
    static final String INVALID = "User/Key object validation failed.";
    static final String FOREIGN_API =
            "User/Key object validation failed: access_rights names an API that is not in your"
                    + " organisation: ";
    static final String FOREIGN_POLICY =
            "User/Key object validation failed: apply_policies names a policy that is not in your"
                    + " organisation: ";
    static final String NO_API =
            "User/Key object validation failed: a key without access_rights opens every API of"
                    + " the organisation, and it has none.";

    /**
     * A key found for a caller.
     *
     * @param lookup how keys-service found it (by hash after an {@code auto_guess})
     * @param keyHash its Tyk key hash
     * @param orgId its organisation
     * @param session its session as the Gateway API shows it
     */
    record Found(KeyLookup lookup, String keyHash, String orgId, ObjectNode session) {}

    private final Owners owners;
    private final OwnedApis apis;
    private final int pageSize;

    KeyCalls(
            Owners owners,
            OwnedApis apis,
            @ConfigProperty(name = "gatehouse.dashboard.page-size", defaultValue = "10")
                    int pageSize) {
        this.owners = owners;
        this.apis = apis;
        this.pageSize = pageSize;
    }

    /** {@code {"data":{"keys":[hash…]},"pages":N}}: the org's keys, of one API when given. */
    Uni<Response> keyList(Caller caller, String apiId, String q, String p, String failed) {
        Pagination page = Pagination.of(Bodies.page(p), pageSize);
        return search(caller, apiId, q, page, false, failed)
                .map(
                        found -> {
                            ObjectNode out = TykJson.MAPPER.createObjectNode();
                            ArrayNode keys = out.putObject("data").putArray("keys");
                            found.path("items").forEach(item -> keys.add(item.path("key_hash")));
                            out.put("pages", page.pages(found.path("total").asLong()));
                            return Bodies.ok(out);
                        });
    }

    /** {@code {"keys":[KeyData…],"pages":N}}: the org's keys with their sessions. */
    Uni<Response> detailedList(Caller caller, String q, String p) {
        Pagination page = Pagination.of(Bodies.page(p), pageSize);
        return search(caller, null, q, page, true, LIST_FAILED)
                .map(
                        found -> {
                            ObjectNode out = TykJson.MAPPER.createObjectNode();
                            ArrayNode keys = out.putArray("keys");
                            found.path("items")
                                    .forEach(
                                            item -> {
                                                String hash = item.path("key_hash").asText();
                                                keys.add(
                                                        KeyDocuments.keyData(
                                                                hash, hash, item.path("session")));
                                            });
                            out.put("pages", page.pages(found.path("total").asLong()));
                            return Bodies.ok(out);
                        });
    }

    private Uni<ObjectNode> search(
            Caller caller,
            String apiId,
            String q,
            Pagination page,
            boolean detailed,
            String failed) {
        StringBuilder path = new StringBuilder("/gatehouse/keys/search?offset=");
        path.append(page.offset()).append("&limit=").append(page.limit());
        if (caller.orgId() != null) {
            path.append("&org_id=").append(Owners.param(caller.orgId()));
        }
        if (apiId != null) {
            path.append("&api_id=").append(Owners.param(apiId));
        }
        if (q != null && !q.isEmpty()) {
            path.append("&q=").append(Owners.param(q));
        }
        if (detailed) {
            path.append("&detailed=true");
        }
        return owners.call(Owner.KEYS, HttpMethod.GET, path.toString(), null, failed)
                .map(
                        answer -> {
                            ObjectNode found = answer.status() == 200 ? answer.object() : null;
                            if (found == null) {
                                throw new DashboardException(500, failed);
                            }
                            return found;
                        });
    }

    /**
     * The caller's API by either id (its stored definition), or the refusal given.
     *
     * @param status the refusal's status
     * @param message the refusal's text
     */
    Uni<JsonNode> api(Caller caller, String apiId, int status, String message) {
        return owners.lookup("apis", caller.orgId(), apiId, message)
                .map(
                        found -> {
                            if (found == null) {
                                throw new DashboardException(status, message);
                            }
                            return found.path("document");
                        });
    }

    /**
     * The key the lookup names, within the caller's reach.
     *
     * @throws DashboardException 404 {@value #NOT_FOUND} when there is none, 400 {@value
     *     #NOT_OWNED} when it is another organisation's
     */
    Uni<Found> find(Caller caller, KeyLookup lookup) {
        Uni<Found> found = findOnce(caller, lookup);
        if (lookup.autoGuess()) {
            found =
                    found.flatMap(
                            direct ->
                                    direct != null
                                            ? Uni.createFrom().item(direct)
                                            : findOnce(caller, lookup.byHash(lookup.value())));
        }
        return found.map(
                key -> {
                    if (key == null) {
                        throw new DashboardException(404, NOT_FOUND);
                    }
                    if (!caller.reaches(key.orgId())) {
                        throw new DashboardException(400, NOT_OWNED);
                    }
                    return key;
                });
    }

    /** The caller's key the lookup names, which must reach the API. */
    Uni<Found> findForApi(Caller caller, String apiId, KeyLookup lookup) {
        return api(caller, apiId, 404, NOT_FOUND)
                .chain(
                        definition ->
                                find(caller, lookup)
                                        .invoke(
                                                key -> {
                                                    String publicId =
                                                            definition.path("api_id").asText();
                                                    if (!KeyDocuments.grants(
                                                            key.session(), publicId)) {
                                                        throw new DashboardException(
                                                                404, NOT_FOUND);
                                                    }
                                                }));
    }

    private Uni<Found> findOnce(Caller caller, KeyLookup lookup) {
        ObjectNode asked = TykJson.MAPPER.createObjectNode();
        asked.put("key", lookup.value());
        asked.put("hashed", lookup.hashed());
        asked.put("username", lookup.username());
        asked.put("org_id", caller.orgId() == null ? "" : caller.orgId());
        return owners.call(Owner.KEYS, HttpMethod.POST, "/gatehouse/keys/find", asked, READ_FAILED)
                .map(
                        answer -> {
                            if (answer.status() == 400) {
                                return null; // not a key id keys-service would ever find
                            }
                            ObjectNode found = answer.status() == 200 ? answer.object() : null;
                            if (found != null && !found.path("found").asBoolean(false)) {
                                return null;
                            }
                            if (found == null || !(found.get("session") instanceof ObjectNode s)) {
                                throw new DashboardException(500, READ_FAILED);
                            }
                            return new Found(
                                    lookup,
                                    found.path("key_hash").asText(),
                                    found.path("org_id").asText(""),
                                    s);
                        });
    }

    /**
     * Creates a key through {@code POST /tyk/keys[/{id}]} and answers its {@code KeyData} (the only
     * answer carrying the raw key).
     *
     * @param customKey the key's id, or null for a generated one
     * @param basicAuth a basic-auth user, named by {@code basic_auth_data.user}
     */
    Uni<Response> create(
            Caller caller, String body, String customKey, boolean basicAuth, String malformed) {
        ObjectNode sent = Bodies.object(body, malformed);
        String user = sent.path("basic_auth_data").path("user").asText("");
        String path;
        if (basicAuth) {
            if (user.isEmpty()
                    || sent.path("basic_auth_data").path("password").asText("").isEmpty()) {
                throw new DashboardException(400, INVALID);
            }
            path = "/tyk/keys/" + Owners.param(user);
        } else if (customKey != null) {
            path = "/tyk/keys/" + Owners.param(customKey);
        } else {
            path = "/tyk/keys";
        }
        String failed = "Failed to unmarshal key data.";
        return confined(caller, sent, null)
                .chain(session -> owners.call(Owner.KEYS, HttpMethod.POST, path, session, failed))
                .chain(
                        answer -> {
                            ObjectNode result = written(answer, failed);
                            String key = result.path("key").asText("");
                            KeyLookup stored =
                                    key.isEmpty()
                                            ? new KeyLookup(user, false, true, false)
                                            : new KeyLookup(key, false, false, false);
                            return find(caller, stored)
                                    .map(
                                            found ->
                                                    Bodies.ok(
                                                            KeyDocuments.keyData(
                                                                    key,
                                                                    found.keyHash(),
                                                                    found.session())));
                        });
    }

    /** {@code POST /tyk/keys/preview}: what would be created, with nothing stored. */
    Uni<Response> preview(Caller caller, String body) {
        ObjectNode sent = Bodies.object(body, MALFORMED);
        return confined(caller, sent, null)
                .chain(
                        session ->
                                owners.call(
                                        Owner.KEYS,
                                        HttpMethod.POST,
                                        "/tyk/keys/preview",
                                        session,
                                        INVALID))
                .map(
                        answer -> {
                            ObjectNode previewed = answer.status() == 200 ? answer.object() : null;
                            if (previewed == null) {
                                throw new DashboardException(400, INVALID);
                            }
                            return Bodies.ok(KeyDocuments.keyData("", "", previewed));
                        });
    }

    /**
     * Updates the caller's key through {@code PUT /tyk/keys/{key}}.
     *
     * @param apiId the API the path is scoped to, or null
     * @param suppressReset {@code 1} keeps the live quota
     */
    Uni<Response> update(
            Caller caller, String apiId, KeyLookup lookup, String body, String suppressReset) {
        ObjectNode sent = Bodies.object(body, MALFORMED);
        String failed = "Failed to unmarshal Key data.";
        return found(caller, apiId, lookup)
                .chain(
                        key ->
                                confined(caller, sent, key.orgId())
                                        .chain(
                                                session ->
                                                        owners.call(
                                                                Owner.KEYS,
                                                                HttpMethod.PUT,
                                                                writePath(caller, key)
                                                                        + ("1".equals(suppressReset)
                                                                                ? "&suppress_reset=1"
                                                                                : ""),
                                                                session,
                                                                failed))
                                        .chain(
                                                answer -> {
                                                    if (answer.status() == 404) {
                                                        throw new DashboardException(
                                                                404, NOT_FOUND);
                                                    }
                                                    if (answer.status() == 400) {
                                                        throw new DashboardException(
                                                                400,
                                                                "User/Key object validation failed,"
                                                                        + " most likely malformed"
                                                                        + " input.");
                                                    }
                                                    written(answer, failed);
                                                    return find(caller, key.lookup());
                                                })
                                        .map(
                                                updated ->
                                                        Bodies.ok(
                                                                KeyDocuments.keyData(
                                                                        lookup.value(),
                                                                        updated.keyHash(),
                                                                        updated.session()))));
    }

    /** Deletes the caller's key through {@code DELETE /tyk/keys/{key}}. */
    Uni<Response> delete(Caller caller, String apiId, KeyLookup lookup) {
        return found(caller, apiId, lookup)
                .chain(
                        key ->
                                owners.call(
                                        Owner.KEYS,
                                        HttpMethod.DELETE,
                                        writePath(caller, key),
                                        null,
                                        "Could not delete key."))
                .map(
                        answer -> {
                            if (answer.status() == 404) {
                                throw new DashboardException(404, NOT_FOUND);
                            }
                            if (answer.status() != 200) {
                                throw new DashboardException(500, "Could not delete key.");
                            }
                            return Bodies.ok("Key deleted successfully.", null);
                        });
    }

    /** {@code GET}: the caller's key as {@code KeyData}, named as the caller named it. */
    Uni<Response> get(Caller caller, String apiId, KeyLookup lookup) {
        return found(caller, apiId, lookup)
                .map(
                        key ->
                                Bodies.ok(
                                        KeyDocuments.keyData(
                                                lookup.value(), key.keyHash(), key.session())));
    }

    private Uni<Found> found(Caller caller, String apiId, KeyLookup lookup) {
        return apiId == null ? find(caller, lookup) : findForApi(caller, apiId, lookup);
    }

    /** The Gateway API path of a found key, as keys-service found it. */
    private static String writePath(Caller caller, Found key) {
        KeyLookup how = key.lookup();
        String org = caller.orgId() == null ? key.orgId() : caller.orgId();
        return "/tyk/keys/"
                + Owners.param(how.value())
                + "?org_id="
                + Owners.param(org)
                + (how.hashed() ? "&hashed=1" : "")
                + (how.username() ? "&username=true" : "");
    }

    /**
     * The session as the caller may write it: in the caller's organisation (a super user's stays as
     * sent, or the key's), naming only that organisation's APIs and policies; a key naming neither
     * opens every API the organisation has now, never another organisation's.
     *
     * @param storedOrg the organisation of the key being updated, or null for a new key
     */
    private Uni<ObjectNode> confined(Caller caller, ObjectNode session, String storedOrg) {
        if (caller.isSuperUser()) {
            if (!session.hasNonNull("org_id") && storedOrg != null) {
                session.put("org_id", storedOrg);
            }
            return Uni.createFrom().item(session);
        }
        session.put("org_id", caller.orgId());
        Uni<Void> checks =
                apis.requireAll(caller.orgId(), KeyDocuments.apiIds(session), FOREIGN_API, INVALID);
        for (String policyId : KeyDocuments.policyIds(session)) {
            checks =
                    checks.chain(
                            () ->
                                    owners.lookup("policies", caller.orgId(), policyId, INVALID)
                                            .invoke(
                                                    found -> {
                                                        if (found == null) {
                                                            throw new DashboardException(
                                                                    400, FOREIGN_POLICY + policyId);
                                                        }
                                                    })
                                            .replaceWithVoid());
        }
        if (KeyDocuments.apiIds(session).isEmpty() && KeyDocuments.policyIds(session).isEmpty()) {
            checks = checks.chain(() -> openEveryApi(caller.orgId(), session));
        }
        return checks.replaceWith(session);
    }

    private Uni<Void> openEveryApi(String orgId, ObjectNode session) {
        String path = "/gatehouse/apis/search?offset=0&limit=0&org_id=" + Owners.param(orgId);
        return owners.call(Owner.ADMIN, HttpMethod.GET, path, null, INVALID)
                .invoke(
                        answer -> {
                            ObjectNode found = answer.status() == 200 ? answer.object() : null;
                            if (found == null) {
                                throw new DashboardException(500, INVALID);
                            }
                            if (found.path("items").isEmpty()) {
                                throw new DashboardException(400, NO_API);
                            }
                            ObjectNode rights = session.putObject("access_rights");
                            found.path("items")
                                    .forEach(
                                            item -> {
                                                JsonNode definition = item.path("document");
                                                rights.set(
                                                        definition.path("api_id").asText(),
                                                        KeyDocuments.accessTo(definition));
                                            });
                        })
                .replaceWithVoid();
    }

    /** keys-service's {@code {key,status,action,key_hash}}; its refusal as a 400 with its text. */
    private static ObjectNode written(OwnerCalls.Answer answer, String failed) {
        ObjectNode result = answer.object();
        if (answer.status() == 200 && result != null) {
            return result;
        }
        if (answer.status() >= 500 || result == null) {
            throw new DashboardException(500, failed);
        }
        String message = result.path("message").asText("").strip();
        throw new DashboardException(400, message.isEmpty() ? INVALID : message);
    }
}
