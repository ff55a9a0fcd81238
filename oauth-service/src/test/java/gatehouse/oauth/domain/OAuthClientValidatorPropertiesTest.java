package gatehouse.oauth.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Generated OAuth client documents fed to {@link OAuthClientValidator}: it throws nothing but
 * {@link OAuthClientValidator.InvalidClient}, and never accepts a document that breaks a rule
 * (checked here again, independently of the validator's code).
 */
class OAuthClientValidatorPropertiesTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Property(tries = 1000)
    void neverAcceptsADangerousClient(
            @ForAll("clients") ObjectNode client, @ForAll("separators") String separator) {
        try {
            OAuthClientValidator.validateCreate(client, separator);
        } catch (OAuthClientValidator.InvalidClient e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank());
            net.jqwik.api.statistics.Statistics.collect("refused");
            return;
        }
        net.jqwik.api.statistics.Statistics.collect("accepted");
        for (String field :
                List.of(
                        "client_id",
                        "redirect_uri",
                        "api_id",
                        "policy_id",
                        "secret",
                        "description")) {
            JsonNode value = client.get(field);
            assertTrue(
                    value == null || value.isNull() || value.isTextual(),
                    field + " not a string: " + client);
        }
        JsonNode meta = client.get("meta_data");
        assertTrue(meta == null || meta.isNull() || meta.isObject(), "meta_data: " + client);
        String id = client.path("client_id").asText("");
        assertTrue(
                id.length() <= 256
                        && id.indexOf('/') < 0
                        && id.chars().noneMatch(Character::isISOControl),
                "client_id: " + client);
        String secret = client.path("secret").asText("");
        assertTrue(secret.isEmpty() || secret.length() >= 16, "secret: " + client);
        String uris = client.path("redirect_uri").asText("");
        if (uris.isEmpty()) {
            return;
        }
        for (String uri :
                separator.isEmpty()
                        ? List.of(uris)
                        : List.of(uris.split(Pattern.quote(separator), -1))) {
            String lower = uri.toLowerCase(Locale.ROOT);
            assertTrue(
                    lower.startsWith("http://") || lower.startsWith("https://"),
                    "not http(s): " + uri);
            assertFalse(uri.contains("#"), "fragment: " + uri);
            assertTrue(
                    uri.chars()
                            .noneMatch(
                                    c ->
                                            c <= 0x20
                                                    || Character.isISOControl(c)
                                                    || Character.isWhitespace(c)
                                                    || Character.isSpaceChar(c)),
                    "whitespace or control: " + uri);
            String rest = uri.substring(uri.indexOf("//") + 2);
            int end = rest.length();
            for (char c : new char[] {'/', '?'}) {
                int at = rest.indexOf(c);
                if (at >= 0 && at < end) {
                    end = at;
                }
            }
            String authority = rest.substring(0, end);
            assertFalse(authority.contains("@"), "userinfo: " + uri);
            assertFalse(authority.isEmpty() || authority.startsWith(":"), "no host: " + uri);
        }
    }

    @Property(tries = 500)
    void updatesFollowTheSameRedirectRules(@ForAll("clients") ObjectNode client) {
        try {
            OAuthClientValidator.validateUpdate(client, "");
        } catch (OAuthClientValidator.InvalidClient e) {
            return;
        }
        String uri = client.path("redirect_uri").asText("");
        assertTrue(
                uri.isEmpty()
                        || uri.toLowerCase(Locale.ROOT)
                                .matches("https?://[^@#\\s/?]+([/?][^#\\s]*)?"),
                "accepted on update: " + uri);
    }

    private static Arbitrary<String> uri() {
        Arbitrary<String> scheme =
                Arbitraries.of(
                        "http",
                        "https",
                        "HTTP",
                        "HtTpS",
                        "javascript",
                        "data",
                        "file",
                        "vbscript",
                        "ftp",
                        "",
                        "http:",
                        "https:/");
        Arbitrary<String> userinfo =
                Arbitraries.of("", "", "", "user@", "user:pw@", "@", "evil.example@");
        Arbitrary<String> host =
                Arbitraries.of(
                        "cb.example",
                        "127.0.0.1",
                        "[::1]",
                        "",
                        "cb.example:8443",
                        "xn--bcher-kva.example",
                        "cb example",
                        "cb.example:");
        Arbitrary<String> path =
                Arbitraries.strings()
                        .withChars("abc/.?=&%20-_~#@ \t\r\n\u0000\u007f\u0085\u2028\u00e9")
                        .ofMaxLength(12);
        return Combinators.combine(
                        scheme, userinfo, host, path, Arbitraries.of("//", "//", "", "/", "///"))
                .as(
                        (s, u, h, p, slashes) ->
                                s
                                        + (s.isEmpty() ? "" : ":")
                                        + slashes
                                        + u
                                        + h
                                        + (p.isEmpty() || p.startsWith("/") ? p : "/" + p));
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of("", "", ";", ",", " ");
    }

    @Provide
    Arbitrary<ObjectNode> clients() {
        Arbitrary<JsonNode> redirect =
                Arbitraries.<JsonNode>frequencyOf(
                        w(6, uri().map(F::textNode)),
                        w(
                                3,
                                uri().list()
                                        .ofMinSize(1)
                                        .ofMaxSize(3)
                                        .map(l -> F.textNode(String.join(";", l)))),
                        w(
                                1,
                                Arbitraries.<JsonNode>of(
                                        F.textNode(""),
                                        F.nullNode(),
                                        F.numberNode(5),
                                        F.arrayNode(),
                                        F.textNode("javascript:alert(1)"))));
        Arbitrary<JsonNode> id =
                Arbitraries.oneOf(
                        Arbitraries.strings().ofMaxLength(300).map(F::textNode),
                        Arbitraries.strings()
                                .withChars("ab/\u0000\n\u0085")
                                .ofMaxLength(5)
                                .map(F::textNode),
                        Arbitraries.strings().alpha().ofLength(256).map(F::textNode),
                        Arbitraries.strings().alpha().ofLength(257).map(F::textNode),
                        Arbitraries.<JsonNode>of(
                                F.numberNode(1), F.nullNode(), F.booleanNode(true)));
        Arbitrary<JsonNode> secret =
                Arbitraries.oneOf(
                        Arbitraries.strings().ofMaxLength(40).map(F::textNode),
                        Arbitraries.strings()
                                .alpha()
                                .ofMinLength(14)
                                .ofMaxLength(18)
                                .map(F::textNode),
                        Arbitraries.<JsonNode>of(F.numberNode(1234567890123456789L), F.nullNode()));
        Arbitrary<JsonNode> meta =
                Arbitraries.<JsonNode>of(
                        F.objectNode().put("a", "b"),
                        F.nullNode(),
                        F.textNode("x"),
                        F.arrayNode(),
                        F.numberNode(1));
        return Combinators.combine(
                        redirect.injectNull(0.1),
                        id.injectNull(0.3),
                        secret.injectNull(0.3),
                        meta.injectNull(0.5))
                .as(
                        (r, i, s, m) -> {
                            ObjectNode client = F.objectNode().put("api_id", "oauth-api-1");
                            if (r != null) {
                                client.set("redirect_uri", r);
                            }
                            if (i != null) {
                                client.set("client_id", i);
                            }
                            if (s != null) {
                                client.set("secret", s);
                            }
                            if (m != null) {
                                client.set("meta_data", m);
                            }
                            return client;
                        });
    }

    private static Tuple.Tuple2<Integer, Arbitrary<? extends JsonNode>> w(
            int weight, Arbitrary<? extends JsonNode> arbitrary) {
        return Tuple.of(weight, arbitrary);
    }
}
