package gatehouse.keys.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.keys.BasicAuthPasswords;
import gatehouse.contracts.keys.KeyState;
import gatehouse.contracts.tyk.PolicyApplier;
import gatehouse.contracts.tyk.SessionDocuments;
import gatehouse.contracts.tyk.TykJson;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/** Tyk's rules for the session documents the control API writes and shows (COMPAT §2, §3). */
public final class KeySessions {

    private KeySessions() {}

    /**
     * Reads a request body as a session.
     *
     * @return the session, or null when the body is not a JSON object
     */
    public static ObjectNode read(String body) {
        return TykJson.readObject(body);
    }

    /**
     * A new key's session: timestamps, expiry, hashed basic-auth password, a fresh quota period.
     */
    public static ObjectNode prepareNew(ObjectNode sent, Instant now, KeySettings settings) {
        ObjectNode session = sent.deepCopy();
        session.put("date_created", now.toString());
        session.put("last_updated", Long.toString(now.getEpochSecond()));
        long expires = session.path("expires").asLong(0);
        if (expires > 1 && expires < now.getEpochSecond()) {
            // Tyk replaces an expiry already past with the original key's, which for a new key is
            // "never"
            session.put("expires", 0);
        }
        hashNewPassword(session, null, settings);
        startQuotaPeriod(session, now);
        if (session.path("hmac_enabled").asBoolean(false)
                && session.path("hmac_string").asText("").isEmpty()) {
            // Tyk's secret for signed requests: base64 of a fresh UUID's hex
            session.put(
                    "hmac_string",
                    java.util.Base64.getEncoder()
                            .encodeToString(
                                    java.util
                                            .UUID
                                            .randomUUID()
                                            .toString()
                                            .replace("-", "")
                                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return session;
    }

    /**
     * An updated session: the body replaces the stored one, keeping its creation date and, unless
     * the password changed, its password hash; without {@code suppress_reset} the quota period and
     * the rate-limit window start afresh.
     */
    public static ObjectNode prepareUpdate(
            ObjectNode stored,
            ObjectNode sent,
            boolean suppressReset,
            Instant now,
            KeySettings settings) {
        ObjectNode session = sent.deepCopy();
        session.set("date_created", stored.path("date_created").deepCopy());
        hashNewPassword(session, stored, settings);
        if (session.path("hmac_enabled").asBoolean(false)
                && session.path("hmac_string").asText("").isEmpty()
                && !stored.path("hmac_string").asText("").isEmpty()) {
            session.set("hmac_string", stored.get("hmac_string").deepCopy());
        }
        if (suppressReset) {
            session.set("quota_renews", stored.path("quota_renews").deepCopy());
            session.set("last_updated", stored.path("last_updated").deepCopy());
            JsonNode rights = session.path("access_rights");
            JsonNode storedRights = stored.path("access_rights");
            for (Iterator<Map.Entry<String, JsonNode>> it = rights.fields(); it.hasNext(); ) {
                var entry = it.next();
                JsonNode storedRenews =
                        storedRights.path(entry.getKey()).path("limit").path("quota_renews");
                if (entry.getValue().path("limit") instanceof ObjectNode limit
                        && !storedRenews.isMissingNode()) {
                    limit.set("quota_renews", storedRenews.deepCopy());
                }
            }
        } else {
            session.put("last_updated", Long.toString(now.getEpochSecond()));
            startQuotaPeriod(session, now);
        }
        return session;
    }

    /**
     * Applies the session's policies with no API context, as the control API does.
     *
     * @throws PolicyApplier.PolicyException with Tyk's text
     */
    public static ObjectNode applyPolicies(
            ObjectNode session, Function<String, ObjectNode> policies) {
        return PolicyApplier.apply(session, policies, null);
    }

    /**
     * The policies a session applies ({@code apply_policies}, and the legacy {@code
     * apply_policy_id}).
     */
    public static java.util.List<String> policyIds(ObjectNode session) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        session.path("apply_policies")
                .forEach(
                        id -> {
                            if (id.isTextual() && !id.asText().isEmpty()) {
                                ids.add(id.asText());
                            }
                        });
        String legacy = session.path("apply_policy_id").asText("");
        if (!legacy.isEmpty()) {
            ids.add(legacy);
        }
        return ids;
    }

    /** True when the session names at least one API. */
    public static boolean hasAccessRights(ObjectNode session) {
        return session.path("access_rights").isObject() && !session.path("access_rights").isEmpty();
    }

    /**
     * The session as {@code GET /tyk/keys/{key}} shows it: every field present, the remaining quota
     * from the counters, and no password.
     */
    public static ObjectNode forDisplay(
            ObjectNode applied, Map<String, KeyState.QuotaUsage> quotas, Instant now) {
        ObjectNode session = SessionDocuments.withDefaults(applied);
        long quotaMax = session.path("quota_max").asLong(0);
        if (quotaMax != -1) {
            var counter = live(quotas.get(""), now);
            session.put(
                    "quota_remaining",
                    Math.max(0, quotaMax - (counter == null ? 0 : counter.used())));
            if (counter != null && counter.renews() > 0) {
                session.put("quota_renews", counter.renews());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = session.path("access_rights").fields();
                it.hasNext(); ) {
            var entry = it.next();
            if (!(entry.getValue().path("limit") instanceof ObjectNode limit)) {
                continue;
            }
            long max = limit.path("quota_max").asLong(0);
            if (max == -1) {
                continue;
            }
            String scope = entry.getValue().path("allowance_scope").asText("");
            var counter = live(quotas.get(scope), now);
            limit.put("quota_remaining", counter == null ? max : Math.max(0, max - counter.used()));
        }
        if (session.path("basic_auth_data") instanceof ObjectNode basic) {
            basic.put("password", "");
        }
        return session;
    }

    private static KeyState.QuotaUsage live(KeyState.QuotaUsage counter, Instant now) {
        // a period that has ended is a counter Tyk's Redis would have expired
        return counter == null || (counter.renews() > 0 && counter.renews() <= now.getEpochSecond())
                ? null
                : counter;
    }

    /** True when the session is a basic-auth user (a password is set). */
    public static boolean isBasicAuth(ObjectNode session) {
        return !session.path("basic_auth_data").path("password").asText("").isEmpty();
    }

    private static void hashNewPassword(
            ObjectNode session, ObjectNode stored, KeySettings settings) {
        if (!(session.path("basic_auth_data") instanceof ObjectNode basic)) {
            return;
        }
        String password = basic.path("password").asText("");
        JsonNode storedBasic = stored == null ? null : stored.path("basic_auth_data");
        if (storedBasic != null
                && (password.isEmpty()
                        || java.security.MessageDigest.isEqual(
                                password.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                storedBasic
                                        .path("password")
                                        .asText()
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
            // unchanged: keep the stored hash
            basic.set("password", storedBasic.path("password").deepCopy());
            basic.set("hash_type", storedBasic.path("hash_type").deepCopy());
            return;
        }
        if (password.isEmpty()) {
            return;
        }
        String hashType =
                settings.basicAuthHashKeyFunction() == null
                        ? ""
                        : settings.basicAuthHashKeyFunction();
        basic.put("password", BasicAuthPasswords.hash(password, hashType));
        basic.put("hash_type", hashType);
    }

    private static void startQuotaPeriod(ObjectNode session, Instant now) {
        long rate = session.path("quota_renewal_rate").asLong(0);
        session.put("quota_renews", rate > 0 ? now.getEpochSecond() + rate : now.getEpochSecond());
    }
}
