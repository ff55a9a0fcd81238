package gatehouse.gateway.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.keys.KeyDigest;
import gatehouse.contracts.keys.KeyState;
import gatehouse.contracts.keys.TykKeys;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.gateway.keys.HeldKey;
import gatehouse.gateway.keys.KeyRegistry;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sessions of JWT identities (Tyk's "virtual keys", research §6): one per org and identity, its
 * id Tyk's {@code generateToken(org, md5hex(identity))}, its policies from the token or the API's
 * defaults, its {@code expires} from the token's {@code exp}. Each is limited and counted under the
 * digest of its id, so its rate limit is shared out between the live nodes and its quota counted
 * across them through {@code gatehouse.usage}, as a key's is.
 */
@Singleton
public class JwtSessions {

    private static final int KEPT = 100_000;

    /** A session as last derived, and what it was derived from. */
    private record Derived(List<String> policies, long expires, HeldKey key) {}

    private final Map<String, Derived> sessions = new ConcurrentHashMap<>();
    private final KeyRegistry registry;
    private final KeyDigest digest;
    private final String hashKeyFunction;

    JwtSessions(
            KeyRegistry registry,
            KeyDigest digest,
            @ConfigProperty(name = "gatehouse.keys.hash-key-function", defaultValue = "murmur64")
                    String hashKeyFunction) {
        this.registry = registry;
        this.digest = digest;
        this.hashKeyFunction = hashKeyFunction.trim();
    }

    /** Tyk's session id of an identity in an org. */
    public String sessionId(String orgId, String identity) {
        return TykKeys.generate(orgId, md5Hex(identity), hashKeyFunction);
    }

    /**
     * The identity's session with these policies, made once and kept while they and the expiry do
     * not change.
     *
     * @param expires the token's {@code exp}, or 0
     */
    public HeldKey session(String orgId, String identity, List<String> policies, long expires) {
        String id = sessionId(orgId, identity);
        Derived known = sessions.get(id);
        if (known != null && known.policies().equals(policies) && known.expires() >= expires) {
            return known.key();
        }
        long version = known == null ? 1 : known.key().version() + 1;
        long kept = known == null ? expires : Math.max(expires, known.expires());
        ObjectNode session = TykJson.MAPPER.createObjectNode();
        session.put("org_id", orgId);
        session.put("expires", kept);
        session.put("alias", identity);
        session.putObject("meta_data").put("TykJWTSessionID", id);
        var applied = session.putArray("apply_policies");
        policies.forEach(applied::add);
        HeldKey key =
                registry.unstored(
                        digest.of(id), version, new KeyState(null, session, Map.of(), null));
        if (sessions.size() >= KEPT) {
            sessions.clear(); // derived again on their next request; their counters are kept
        }
        sessions.put(id, new Derived(List.copyOf(policies), kept, key));
        return key;
    }

    /**
     * Tyk's identity of a centralised token: {@code jwt_identity_base_field} (literal name, then
     * dotted path), else {@code sub}.
     *
     * @throws JwtVerifier.Refused rows 16-18 of the research table
     */
    public static String identity(ObjectNode claims, String baseField) throws JwtVerifier.Refused {
        if (baseField != null) {
            JsonNode value = claim(claims, baseField);
            if (value != null && value.isTextual()) {
                if (value.asText().isEmpty()) {
                    throw refused(
                            "found an empty user ID in predefined base claim, claim: " + baseField);
                }
                return value.asText();
            }
        }
        JsonNode sub = claims.get("sub");
        if (sub != null && sub.isTextual()) {
            if (sub.asText().isEmpty()) {
                throw refused("found an empty user ID in sub claim");
            }
            return sub.asText();
        }
        throw refused("no suitable claims for user ID were found");
    }

    /**
     * The policies of a session (research §6.3, §6.6): the token's {@code jwt_policy_field_name}
     * claim, else the API's defaults, the first default first; then, when the API maps scopes to
     * policies and the token has scopes, the mapped policies, after the claim's policy or instead
     * of the defaults.
     *
     * @return the policy ids, empty when none is given
     * @throws JwtVerifier.Refused 403 when the token's scopes map to no policy and nothing else
     *     gives one
     */
    public static List<String> policies(ObjectNode claims, JwtRules rules)
            throws JwtVerifier.Refused {
        List<String> ids = new ArrayList<>();
        boolean fromClaim = false;
        if (rules.policyFieldName() != null) {
            JsonNode value = claim(claims, rules.policyFieldName());
            if (value != null && value.isTextual() && !value.asText().isEmpty()) {
                ids.add(value.asText());
                fromClaim = true;
            }
        }
        if (!fromClaim) {
            for (String id : rules.defaultPolicies()) {
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        if (rules.scopeToPolicy().isEmpty()) {
            return ids;
        }
        List<String> scopes = scopes(claims, rules.scopeClaimName());
        if (scopes.isEmpty()) {
            return ids;
        }
        List<String> mapped = new ArrayList<>(fromClaim ? ids : List.of());
        for (String scope : scopes) {
            String policy = rules.scopeToPolicy().get(scope);
            if (policy != null && !mapped.contains(policy)) {
                mapped.add(policy);
            }
        }
        if (mapped.isEmpty()) {
            throw refused("key not authorized: no matching policy found in scope claim");
        }
        return mapped;
    }

    /**
     * The token's scopes: the claim by its dotted path only, a string split on spaces or an array
     * of strings (nested arrays flattened).
     */
    static List<String> scopes(ObjectNode claims, String claimName) {
        JsonNode node = claims;
        for (String part : claimName.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        List<String> scopes = new ArrayList<>();
        collect(node, scopes);
        return scopes;
    }

    private static void collect(JsonNode node, List<String> into) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            for (String scope : node.asText().split(" ")) {
                if (!scope.isEmpty()) {
                    into.add(scope);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                if (element.isTextual()) {
                    into.add(element.asText());
                } else if (element.isArray()) {
                    collect(element, into);
                }
            }
        }
    }

    /** A claim by its literal name, else by a dotted path through nested objects. */
    static JsonNode claim(ObjectNode claims, String name) {
        JsonNode literal = claims.get(name);
        if (literal != null) {
            return literal;
        }
        JsonNode node = claims;
        for (String part : name.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node;
    }

    private static JwtVerifier.Refused refused(String message) {
        return new JwtVerifier.Refused(new JwtVerifier.Refusal(403, message));
    }

    private static String md5Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("MD5")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by the Java platform", e);
        }
    }
}
