package gatehouse.keys.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.catalog.PolicyCatalog;
import gatehouse.contracts.http.TykException;
import gatehouse.contracts.http.TykResponses;
import gatehouse.contracts.keys.KeyDigest;
import gatehouse.contracts.keys.SessionSecrets;
import gatehouse.contracts.keys.TykKeys;
import gatehouse.contracts.tyk.PolicyApplier;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.contracts.tyk.TykMessages;
import gatehouse.keys.domain.KeySessions;
import gatehouse.keys.domain.KeySettings;
import gatehouse.keys.persistence.KeyEntity;
import gatehouse.keys.persistence.KeyStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/**
 * The Dashboard's internal look-up of one key (issue 11), behind the admin secret: the key travels
 * in the body, never in a URL, and the answer names the key's hash and organisation so the
 * Dashboard can confine it. Finds as {@code GET /tyk/keys/{key}} does (Tyk's {@code
 * SessionDetail}); among keys sharing a hash, the organisation's comes first.
 */
@Path("/gatehouse/keys/find")
public class KeyFindResource {

    private final KeyStore store;
    private final PolicyCatalog policies;
    private final KeySettings settings;
    private final KeyDigest digest;
    private final SessionSecrets secrets;

    KeyFindResource(
            KeyStore store,
            PolicyCatalog policies,
            KeySettings settings,
            KeyDigest digest,
            SessionSecrets secrets) {
        this.secrets = secrets;
        this.store = store;
        this.policies = policies;
        this.settings = settings;
        this.digest = digest;
    }

    /**
     * Body {@code {"key":"…","hashed":bool,"username":bool,"org_id":"…"}}; answers {@code
     * {"found":true,"key_hash":"…","org_id":"…","session":{…}}} (the session as {@code GET
     * /tyk/keys/{key}} shows it), or {@code {"found":false}}: a miss is a read's answer, not a
     * refusal the audit log would record.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> find(String body) {
        ObjectNode asked = TykJson.readObject(body);
        if (asked == null || !asked.path("key").isTextual()) {
            throw new TykException(400, TykMessages.REQUEST_MALFORMED);
        }
        String key = asked.path("key").asText();
        String org = asked.path("org_id").asText("");
        Uni<KeyEntity> found;
        if (asked.path("hashed").asBoolean(false)) {
            found =
                    store.findByHash(key)
                            .map(
                                    keys ->
                                            keys.stream()
                                                    .filter(k -> org.equals(k.orgId))
                                                    .findFirst()
                                                    .orElse(keys.isEmpty() ? null : keys.get(0)));
        } else if (asked.path("username").asBoolean(false)) {
            found = store.find(digest.of(generated(org, key)));
        } else if (org.isEmpty() || org.equals(TykKeys.orgOf(key))) {
            found = store.find(digest.of(key));
        } else {
            found =
                    store.find(digest.of(key))
                            .flatMap(
                                    direct ->
                                            direct != null
                                                    ? Uni.createFrom().item(direct)
                                                    : store.find(digest.of(generated(org, key))));
        }
        return found.map(
                stored -> {
                    if (stored == null) {
                        return TykResponses.ok(
                                TykJson.MAPPER.createObjectNode().put("found", false));
                    }
                    ObjectNode session = KeyStore.sessionOf(stored);
                    ObjectNode applied;
                    try {
                        applied = KeySessions.applyPolicies(session, policies::policy);
                    } catch (PolicyApplier.PolicyException e) {
                        applied = session; // shown as stored, as GET /tyk/keys/{key} does
                    }
                    ObjectNode out = TykJson.MAPPER.createObjectNode();
                    out.put("found", true);
                    out.put("key_hash", stored.keyHash);
                    out.put("org_id", stored.orgId == null ? "" : stored.orgId);
                    out.set(
                            "session",
                            KeySessions.forDisplay(
                                    secrets.open(applied),
                                    KeyStore.quotasOf(stored),
                                    Instant.now()));
                    return TykResponses.ok(out);
                });
    }

    private String generated(String org, String key) {
        return TykKeys.generate(org, key, settings.hashKeyFunction());
    }
}
