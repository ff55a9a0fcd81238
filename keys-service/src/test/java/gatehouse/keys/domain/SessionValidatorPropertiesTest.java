package gatehouse.keys.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Generated session documents fed to {@link SessionValidator}: it throws nothing but {@link
 * SessionValidator.InvalidSession}, accepts exactly the documents the rules (written out again
 * here, independently) accept, and never lets a key without access rights through.
 */
class SessionValidatorPropertiesTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> FLOATS = List.of("rate", "per", "throttle_interval");
    private static final List<String> INTS =
            List.of(
                    "quota_max",
                    "quota_renewal_rate",
                    "expires",
                    "throttle_retry_limit",
                    "max_query_depth");

    @Property(tries = 1000)
    void acceptsExactlyTheDocumentsTheRulesAllow(@ForAll("sessions") ObjectNode session) {
        boolean accepted;
        try {
            SessionValidator.validate(session);
            accepted = true;
        } catch (SessionValidator.InvalidSession e) {
            accepted = false;
            assertFalse(e.getMessage() == null || e.getMessage().isBlank());
        }
        boolean valid = allowed(session);
        net.jqwik.api.statistics.Statistics.collect(valid ? "valid" : "invalid");
        assertTrue(
                accepted == valid,
                (valid ? "refused a valid " : "accepted an invalid ") + "document: " + session);
    }

    @Property(tries = 1000)
    void aKeyWithoutAccessRightsIsNeverAccepted(@ForAll("sessions") ObjectNode session) {
        try {
            SessionValidator.validate(session);
            SessionValidator.requireAccessRights(session, false);
        } catch (SessionValidator.InvalidSession e) {
            return;
        }
        JsonNode rights = session.get("access_rights");
        assertTrue(
                rights != null && rights.isObject() && rights.size() > 0,
                "a master key was accepted: " + session);
    }

    // ---- the rules, as a reader of the brief would check them
    // -------------------------------------------------

    private static boolean allowed(ObjectNode s) {
        JsonNode org = s.get("org_id");
        if (org != null
                && !org.isNull()
                && (!org.isTextual()
                        || org.asText().length() > 255
                        || org.asText()
                                .chars()
                                .anyMatch(c -> c < 32 || c == 127 || (c >= 128 && c < 160)))) {
            return false;
        }
        if (!limitsAllowed(s, true)) {
            return false;
        }
        JsonNode rights = s.get("access_rights");
        if (rights == null || rights.isNull()) {
            return true;
        }
        if (!rights.isObject()) {
            return false;
        }
        for (var it = rights.elements(); it.hasNext(); ) {
            JsonNode def = it.next();
            if (!def.isObject()) {
                return false;
            }
            JsonNode limit = def.get("limit");
            if (limit != null
                    && !limit.isNull()
                    && (!limit.isObject() || !limitsAllowed((ObjectNode) limit, false))) {
                return false;
            }
        }
        return true;
    }

    private static boolean limitsAllowed(ObjectNode s, boolean session) {
        for (String f : FLOATS) {
            JsonNode v = s.get(f);
            if (v != null
                    && !v.isNull()
                    && (!v.isNumber()
                            || Double.isInfinite(v.doubleValue())
                            || Double.isNaN(v.doubleValue()))) {
                return false;
            }
        }
        for (String f : INTS) {
            if (!session && f.equals("expires")) {
                continue;
            }
            JsonNode v = s.get(f);
            if (v == null || v.isNull()) {
                continue;
            }
            if (!v.isIntegralNumber() || v.bigIntegerValue().bitLength() > 63) {
                return false;
            }
            long n = v.longValue();
            if (f.equals("expires") ? n < 0 : n < -1) {
                return false;
            }
        }
        double rate = num(s, "rate");
        double per = num(s, "per");
        double interval = num(s, "throttle_interval");
        boolean rateOk = rate == -1 || rate >= 0;
        boolean perOk = per >= 0 || (per == -1 && rate <= 0);
        boolean limited = rate > 0;
        return rateOk && perOk && (!limited || per > 0) && (interval == -1 || interval >= 0);
    }

    private static double num(ObjectNode s, String f) {
        JsonNode v = s.get(f);
        return v == null || v.isNull() ? 0 : v.doubleValue();
    }

    // ---- generators
    // ----------------------------------------------------------------------------------------------

    private static Arbitrary<JsonNode> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.of(0L, -1L, 1L, 10L, -2L, -5L, 3600L, Long.MAX_VALUE, Long.MIN_VALUE)
                        .map(F::numberNode),
                Arbitraries.longs().map(F::numberNode),
                Arbitraries.doubles().between(-10, 1e6).map(F::numberNode),
                Arbitraries.of(
                                0.0,
                                -0.0,
                                -1.0,
                                0.5,
                                -0.5,
                                1e300,
                                Double.POSITIVE_INFINITY,
                                Double.NEGATIVE_INFINITY,
                                Double.NaN)
                        .map(F::numberNode),
                Arbitraries.of(
                                new BigInteger("9223372036854775808"),
                                new BigInteger("-9223372036854775809"),
                                BigInteger.TEN)
                        .map(F::numberNode),
                Arbitraries.of("10", "x", "NaN", "", "-1").map(F::textNode),
                Arbitraries.<JsonNode>of(
                        F.booleanNode(true), F.nullNode(), F.arrayNode().add(1), F.objectNode()));
    }

    private static Arbitrary<ObjectNode> limits(List<String> fields) {
        return Arbitraries.subsetOf(fields)
                .flatMap(
                        chosen ->
                                numbers()
                                        .list()
                                        .ofSize(chosen.size())
                                        .map(
                                                values -> {
                                                    ObjectNode node = F.objectNode();
                                                    int i = 0;
                                                    for (String field : chosen) {
                                                        node.set(field, values.get(i++));
                                                    }
                                                    return node;
                                                }));
    }

    private static Arbitrary<JsonNode> accessDefinition() {
        Arbitrary<JsonNode> withLimit =
                limits(
                                List.of(
                                        "rate",
                                        "per",
                                        "throttle_interval",
                                        "quota_max",
                                        "quota_renewal_rate",
                                        "throttle_retry_limit",
                                        "max_query_depth",
                                        "expires"))
                        .map(
                                limit -> {
                                    ObjectNode def = F.objectNode().put("api_id", "api1");
                                    def.set("limit", limit);
                                    return def;
                                });
        return Arbitraries.<JsonNode>frequencyOf(
                w(6, withLimit),
                w(2, Arbitraries.<JsonNode>just(F.objectNode().put("api_id", "api1"))),
                w(
                        1,
                        Arbitraries.<JsonNode>of(
                                F.textNode("x"),
                                F.nullNode(),
                                F.arrayNode(),
                                F.objectNode().set("limit", F.arrayNode()),
                                F.objectNode().put("limit", "x"))));
    }

    private static Arbitrary<JsonNode> accessRights() {
        return Arbitraries.<JsonNode>frequencyOf(
                w(
                        6,
                        accessDefinition()
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(3)
                                .map(
                                        defs -> {
                                            ObjectNode rights = F.objectNode();
                                            for (int i = 0; i < defs.size(); i++) {
                                                rights.set("api" + i, defs.get(i));
                                            }
                                            return (JsonNode) rights;
                                        })),
                w(
                        2,
                        Arbitraries.<JsonNode>of(
                                F.objectNode(),
                                F.arrayNode(),
                                F.textNode("x"),
                                F.numberNode(5),
                                F.nullNode(),
                                F.booleanNode(false))));
    }

    private static Arbitrary<JsonNode> orgIds() {
        return Arbitraries.oneOf(
                Arbitraries.of("default", "", "org1").map(F::textNode),
                Arbitraries.strings().ofMaxLength(300).map(F::textNode),
                Arbitraries.strings()
                        .withChars('a', '\u0000', '\u001f', '\u007f', '\u0085')
                        .ofMinLength(1)
                        .ofMaxLength(4)
                        .map(F::textNode),
                Arbitraries.<JsonNode>of(F.numberNode(5), F.nullNode(), F.objectNode()));
    }

    @Provide
    Arbitrary<ObjectNode> sessions() {
        Arbitrary<ObjectNode> numeric =
                limits(
                        List.of(
                                "rate",
                                "per",
                                "throttle_interval",
                                "quota_max",
                                "quota_renewal_rate",
                                "expires",
                                "throttle_retry_limit",
                                "max_query_depth"));
        return Combinators.combine(
                        numeric, orgIds().injectNull(0.3), accessRights().injectNull(0.2))
                .as(
                        (session, org, rights) -> {
                            if (org != null) {
                                session.set("org_id", org);
                            }
                            if (rights != null) {
                                session.set("access_rights", rights);
                            }
                            return session;
                        });
    }

    private static Tuple.Tuple2<Integer, Arbitrary<? extends JsonNode>> w(
            int weight, Arbitrary<? extends JsonNode> arbitrary) {
        return Tuple.of(weight, arbitrary);
    }
}
