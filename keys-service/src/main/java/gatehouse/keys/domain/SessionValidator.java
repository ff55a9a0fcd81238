package gatehouse.keys.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import java.util.Iterator;
import java.util.Map;

/**
 * The rules a session document (a key's or an organisation's) must meet before it is stored. Tyk
 * decodes a session into typed Go fields, so a string where a number belongs, a number out of range
 * or {@code access_rights} that is not an object never reaches its store: such documents are {@link
 * Kind#MALFORMED}. Beyond what Go's decoder refuses, values that would silently turn a limited key
 * into an unlimited one, or a scoped key into a master key, are {@link Kind#INVALID}.
 *
 * <p>Accepted, as Tyk means them: {@code rate} and {@code per} 0 (no rate limit set), {@code rate}
 * -1 (Tyk Dashboard's "disable rate limiting", {@code per} may be -1 with it), {@code quota_max} 0
 * or -1 (unlimited), {@code quota_renewal_rate}, {@code throttle_interval}, {@code
 * throttle_retry_limit} and {@code max_query_depth} 0 or -1 (off), {@code expires} 0 (never) or a
 * positive epoch second.
 */
public final class SessionValidator {

    /** Tyk's text when a key has no access rights and master keys are not allowed. */
    public static final String NO_ACCESS_RIGHTS =
            "Failed to create key, keys must have at least one Access Rights record set.";

    /** The longest key id (or key hash) accepted in a path. */
    public static final int MAX_KEY_ID_LENGTH = 1024;

    /**
     * The largest session document accepted, in bytes of JSON: every change is one event on {@code
     * gatehouse.keys}, and a record over Kafka's 1 MiB request limit would never be published.
     */
    public static final int MAX_SESSION_BYTES = 512 * 1024;

    /** The longest org id: the stored column's width. */
    public static final int MAX_ORG_ID_LENGTH = 255;

    private static final String[] FLOATS = {"rate", "per", "throttle_interval"};
    private static final String[] INTEGERS = {
        "quota_max", "quota_renewal_rate", "expires", "throttle_retry_limit", "max_query_depth"
    };
    private static final String[] LIMIT_INTEGERS = {
        "quota_max", "quota_renewal_rate", "throttle_retry_limit", "max_query_depth"
    };

    /** Why a document is refused. */
    public enum Kind {
        /** Go's decoder would refuse it: Tyk answers with its unmarshal text. */
        MALFORMED,
        /** It decodes, but its values are refused. */
        INVALID
    }

    /** A refused document or id; the message says what is wrong. */
    public static final class InvalidSession extends RuntimeException {
        private final Kind kind;

        public InvalidSession(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    private SessionValidator() {}

    /**
     * Checks a key session as sent (before policies are applied).
     *
     * @throws InvalidSession when it breaks a rule
     */
    public static void validate(ObjectNode session) {
        if (session == null) {
            throw new InvalidSession(Kind.MALFORMED, "the body must be a JSON object");
        }
        int size = encodedSize(session);
        if (size > MAX_SESSION_BYTES) {
            throw invalid(
                    "the session is "
                            + size
                            + " bytes of JSON; at most "
                            + MAX_SESSION_BYTES
                            + " are accepted");
        }
        JsonNode org = session.get("org_id");
        if (org != null && !org.isNull()) {
            if (!org.isTextual()) {
                throw malformed("org_id must be a JSON string");
            }
            checkId("org_id", org.asText(), MAX_ORG_ID_LENGTH);
        }
        limits("", session, true);
        JsonNode rights = session.get("access_rights");
        if (rights == null || rights.isNull()) {
            return;
        }
        if (!rights.isObject()) {
            throw malformed("access_rights must be a JSON object of API id to access definition");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = rights.fields(); it.hasNext(); ) {
            var entry = it.next();
            String where = "access_rights[" + shorten(entry.getKey()) + "]";
            if (!entry.getValue().isObject()) {
                throw malformed(where + " must be a JSON object");
            }
            JsonNode limit = entry.getValue().get("limit");
            if (limit == null || limit.isNull()) {
                continue;
            }
            if (!limit.isObject()) {
                throw malformed(where + ".limit must be a JSON object");
            }
            limits(where + ".limit.", (ObjectNode) limit, false);
        }
    }

    /**
     * Refuses a key that, once its policies are applied, names no API, unless master keys are
     * allowed.
     *
     * @throws InvalidSession with Tyk's text
     */
    public static void requireAccessRights(ObjectNode applied, boolean allowMasterKeys) {
        JsonNode rights = applied.path("access_rights");
        if (!allowMasterKeys && !(rights.isObject() && !rights.isEmpty())) {
            throw new InvalidSession(Kind.INVALID, NO_ACCESS_RIGHTS);
        }
    }

    /**
     * Checks a key id, key hash or custom key name taken from a path.
     *
     * @throws InvalidSession when it is empty of sense: control characters or longer than 1024
     *     characters
     */
    public static void validateKeyId(String id) {
        checkId("key id", id, MAX_KEY_ID_LENGTH);
    }

    /** Checks an organisation id taken from a path. */
    public static void validateOrgId(String id) {
        checkId("org id", id, MAX_ORG_ID_LENGTH);
    }

    private static void checkId(String what, String id, int max) {
        if (id == null) {
            return;
        }
        if (id.length() > max) {
            throw new InvalidSession(Kind.INVALID, what + " is longer than " + max + " characters");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw new InvalidSession(
                        Kind.INVALID, what + " must not contain control characters");
            }
        }
    }

    private static void limits(String where, ObjectNode doc, boolean withExpires) {
        Double rate = number(where, doc, "rate");
        Double per = number(where, doc, "per");
        Double interval = number(where, doc, "throttle_interval");
        for (String field : withExpires ? INTEGERS : LIMIT_INTEGERS) {
            Long value = integer(where, doc, field);
            if (value == null) {
                continue;
            }
            if (field.equals("expires")) {
                if (value < 0) {
                    throw invalid(
                            where + "expires must be 0 (never) or an epoch second, not " + value);
                }
            } else if (value < -1) {
                throw invalid(
                        where + field + " must be 0 or more, or -1 (unlimited), not " + value);
            }
        }
        double r = rate == null ? 0 : rate;
        double p = per == null ? 0 : per;
        if (r < 0 && r != -1) {
            throw invalid(where + "rate must be 0 or more, or -1 (no rate limit), not " + shown(r));
        }
        if (p < 0 && !(p == -1 && r <= 0)) {
            throw invalid(
                    where
                            + "per must be 0 or more seconds (-1 only with rate 0 or -1), not "
                            + shown(p));
        }
        if (r > 0 && p <= 0) {
            throw invalid(
                    where
                            + "rate "
                            + shown(r)
                            + " needs "
                            + where
                            + "per above 0 seconds (rate 0 or -1 means "
                            + "no rate limit)");
        }
        if (interval != null && interval < 0 && interval != -1) {
            throw invalid(
                    where
                            + "throttle_interval must be 0 or more seconds, or -1 (off), not "
                            + shown(interval));
        }
    }

    private static String shown(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    /** A float64 field: null when absent or null; a finite JSON number otherwise. */
    private static Double number(String where, ObjectNode doc, String field) {
        JsonNode value = doc.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw malformed(where + field + " must be a JSON number");
        }
        double d = value.doubleValue();
        if (!Double.isFinite(d)) {
            throw malformed(where + field + " is out of range for a float64");
        }
        return d == 0 ? 0.0 : d; // -0 is 0
    }

    /** An int64 field: null when absent or null; an integer literal within int64 otherwise. */
    private static Long integer(String where, ObjectNode doc, String field) {
        JsonNode value = doc.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw malformed(where + field + " must be a JSON number");
        }
        if (!value.isIntegralNumber()) {
            throw malformed(where + field + " must be a whole number");
        }
        if (!value.canConvertToLong()) {
            throw malformed(where + field + " is out of range for an int64");
        }
        return value.longValue();
    }

    private static int encodedSize(ObjectNode session) {
        try {
            return TykJson.MAPPER.writeValueAsBytes(session).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidSession(Kind.MALFORMED, "the body cannot be written as JSON");
        }
    }

    private static String shorten(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        StringBuilder out = new StringBuilder(shown.length());
        shown.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static InvalidSession malformed(String message) {
        return new InvalidSession(Kind.MALFORMED, message);
    }

    private static InvalidSession invalid(String message) {
        return new InvalidSession(Kind.INVALID, message);
    }
}
