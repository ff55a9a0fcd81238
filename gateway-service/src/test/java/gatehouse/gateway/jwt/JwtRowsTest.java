package gatehouse.gateway.jwt;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.sun.net.httpserver.HttpServer;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.gateway.EchoOwnersResource;
import gatehouse.gateway.KeysOwnerStub;
import gatehouse.gateway.state.PolicyHolder;
import gatehouse.gateway.state.RoutingTableHolder;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TopicRecords;
import gatehouse.testsupport.TykRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * JWT APIs through the full HTTP stack (issue 15; docs/research/tyk-jwt-behaviour.md): every error
 * text row by row, with tokens made by nimbus-jose-jwt, then JWKS rotation and outage and the
 * limits of a JWT identity.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class JwtRowsTest {

    private static final byte[] SECRET =
            "gatehouse-jwt-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final String PER_KEY_SECRET = "per-key-secret-0123456789abcdefghijkl";
    private static final RSAKey RSA = rsa("rsa-1");
    private static final RSAKey RSA_OTHER = rsa("rsa-2");
    private static final ECKey EC = ec("ec-1");
    private static final ECKey EC_OTHER = ec("ec-2");
    private static final RSAKey JWKS_FIRST = rsa("jwks-1");
    private static final RSAKey JWKS_SECOND = rsa("jwks-2");
    private static final AtomicReference<String> SERVED = new AtomicReference<>();
    private static HttpServer jwks;
    private static boolean published;

    @Inject RoutingTableHolder tables;
    @Inject PolicyHolder policies;

    private static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey ec(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(java.security.PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String api(String id, String jwt) {
        return """
                {"api_id":"%s","name":"API %s","org_id":"default","use_keyless":false,
                 "enable_jwt":true,%s,
                 "proxy":{"listen_path":"/%s/","target_url":"%s"}}"""
                .formatted(id, id, jwt, id, EchoOwnersResource.url())
                .replace("\n", "");
    }

    private static Map<String, String> apis() throws Exception {
        String secret = Base64.getEncoder().encodeToString(SECRET);
        Map<String, String> apis = new LinkedHashMap<>();
        apis.put(
                "j-hmac",
                api(
                        "j-hmac",
                        "\"jwt_signing_method\":\"hmac\",\"jwt_source\":\"%s\",\"jwt_default_policies\":[\"jwt-default\"]"
                                .formatted(secret)));
        apis.put(
                "j-skew",
                api(
                        "j-skew",
                        ("\"jwt_signing_method\":\"hmac\",\"jwt_source\":\"%s\",\"jwt_default_policies\":[\"jwt-default\"],"
                                        + "\"jwt_expires_at_validation_skew\":30,\"jwt_not_before_validation_skew\":30,"
                                        + "\"jwt_issued_at_validation_skew\":30")
                                .formatted(secret)));
        apis.put(
                "j-default-method",
                api(
                        "j-default-method",
                        "\"jwt_source\":\"%s\",\"jwt_default_policies\":[\"jwt-default\"]"
                                .formatted(secret)));
        apis.put(
                "j-rsa",
                api(
                        "j-rsa",
                        ("\"jwt_signing_method\":\"rsa\",\"jwt_source\":\"%s\",\"jwt_identity_base_field\":\"email\","
                                        + "\"jwt_policy_field_name\":\"pol\"")
                                .formatted(base64(pem(RSA.toPublicKey())))));
        apis.put(
                "j-ecdsa",
                api(
                        "j-ecdsa",
                        "\"jwt_signing_method\":\"ecdsa\",\"jwt_source\":\"%s\",\"jwt_default_policies\":[\"jwt-default\"]"
                                .formatted(base64(pem(EC.toPublicKey())))));
        apis.put(
                "j-bad-source",
                api(
                        "j-bad-source",
                        "\"jwt_signing_method\":\"hmac\",\"jwt_source\":\"not base64!\",\"jwt_default_policies\":[\"jwt-default\"]"));
        apis.put(
                "j-perkey", api("j-perkey", "\"jwt_signing_method\":\"hmac\",\"jwt_source\":\"\""));
        apis.put(
                "j-jwks",
                api(
                        "j-jwks",
                        "\"jwt_signing_method\":\"rsa\",\"jwt_source\":\"%s\",\"jwt_default_policies\":[\"jwt-default\"]"
                                .formatted(
                                        base64(
                                                "http://127.0.0.1:"
                                                        + jwks.getAddress().getPort()
                                                        + "/jwks"))));
        apis.put(
                "j-jwks-down",
                api(
                        "j-jwks-down",
                        "\"jwt_signing_method\":\"rsa\",\"jwt_source\":\"http://127.0.0.1:9/jwks\",\"jwt_default_policies\":[\"jwt-default\"]"));
        apis.put(
                "j-scope",
                api(
                        "j-scope",
                        ("\"jwt_signing_method\":\"hmac\",\"jwt_source\":\"%s\",\"jwt_default_policies\":[\"jwt-elsewhere\"],"
                                        + "\"jwt_scope_to_policy_mapping\":{\"orders:read\":\"jwt-default\"}")
                                .formatted(secret)));
        apis.put(
                "j-scope-claim",
                api(
                        "j-scope-claim",
                        ("\"jwt_signing_method\":\"hmac\",\"jwt_source\":\"%s\",\"jwt_scope_claim_name\":\"permissions.list\","
                                        + "\"jwt_scope_to_policy_mapping\":{\"orders:read\":\"jwt-default\"}")
                                .formatted(secret)));
        apis.put(
                "j-quota",
                api(
                        "j-quota",
                        "\"jwt_signing_method\":\"hmac\",\"jwt_source\":\"%s\",\"jwt_default_policies\":[\"jwt-quota\"]"
                                .formatted(secret)));
        return apis;
    }

    private static String rights(String... apis) {
        StringBuilder rights = new StringBuilder("{");
        for (String api : apis) {
            if (rights.length() > 1) {
                rights.append(',');
            }
            rights.append(
                    "\"%s\":{\"api_id\":\"%s\",\"versions\":[\"Default\"]}".formatted(api, api));
        }
        return rights.append('}').toString();
    }

    private static void publish(String topic, String type, String id, String data) {
        TopicRecords.publish(topic, type, id, data);
    }

    @BeforeEach
    void publishOnce() throws Exception {
        if (published) {
            return;
        }
        SERVED.set(new JWKSet(JWKS_FIRST.toPublicJWK()).toString());
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext(
                "/jwks",
                exchange -> {
                    byte[] body = SERVED.get().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        jwks.start();
        String all =
                rights(
                        "j-hmac",
                        "j-skew",
                        "j-default-method",
                        "j-rsa",
                        "j-ecdsa",
                        "j-bad-source",
                        "j-jwks",
                        "j-jwks-down",
                        "j-scope",
                        "j-scope-claim");
        publish(
                Topics.POLICIES.name(),
                EventTypes.POLICY_UPSERTED,
                "jwt-default",
                "{\"id\":\"jwt-default\",\"org_id\":\"default\",\"rate\":1000,\"per\":1,\"quota_max\":-1,\"access_rights\":"
                        + all
                        + "}");
        publish(
                Topics.POLICIES.name(),
                EventTypes.POLICY_UPSERTED,
                "jwt-other-org",
                "{\"id\":\"jwt-other-org\",\"org_id\":\"other\",\"access_rights\":" + all + "}");
        publish(
                Topics.POLICIES.name(),
                EventTypes.POLICY_UPSERTED,
                "jwt-elsewhere",
                "{\"id\":\"jwt-elsewhere\",\"org_id\":\"default\",\"access_rights\":"
                        + rights("j-hmac")
                        + "}");
        publish(
                Topics.POLICIES.name(),
                EventTypes.POLICY_UPSERTED,
                "jwt-quota",
                "{\"id\":\"jwt-quota\",\"org_id\":\"default\",\"quota_max\":2,\"quota_renewal_rate\":3600,\"access_rights\":"
                        + rights("j-quota")
                        + "}");
        Map<String, String> apis = apis();
        apis.forEach(
                (id, definition) ->
                        publish(Topics.APIS.name(), EventTypes.API_UPSERTED, id, definition));
        KeysOwnerStub.publish(
                "jwt-key-0001",
                "{\"org_id\":\"default\",\"jwt_data\":{\"secret\":\"%s\"},\"access_rights\":%s}"
                        .formatted(PER_KEY_SECRET, rights("j-perkey")));
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                apis.keySet().stream()
                                                .allMatch(id -> tables.current().api(id) != null)
                                        && policies.current().size() >= 4
                                        && status(
                                                        "j-hmac",
                                                        sign(
                                                                hmac(SECRET),
                                                                JWSAlgorithm.HS256,
                                                                null,
                                                                "{\"sub\":\"x\"}"))
                                                == 200
                                        && status(
                                                        "j-perkey",
                                                        sign(
                                                                hmac(PER_KEY_SECRET.getBytes()),
                                                                JWSAlgorithm.HS256,
                                                                "jwt-key-0001",
                                                                "{}"))
                                                == 200);
        published = true;
    }

    private static int status(String api, String token) {
        return given().header("Authorization", "Bearer " + token)
                .get("/" + api + "/x")
                .statusCode();
    }

    private static JWSSigner hmac(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, String claims) {
        try {
            var header = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT);
            if (kid != null) {
                header.keyID(kid);
            }
            // a JWS of the claims as written, so a row may hold claims no JWT library would make
            var jwt = new JWSObject(header.build(), new Payload(claims));
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String claims(String template) {
        long now = Instant.now().getEpochSecond();
        var matcher = java.util.regex.Pattern.compile("NOW([+-]\\d+)?").matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            long value = now + (matcher.group(1) == null ? 0 : Long.parseLong(matcher.group(1)));
            matcher.appendReplacement(out, Long.toString(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The token a row's signer makes, or null for none at all. */
    private static String token(String signer, String kid, String claims) throws Exception {
        if (signer.startsWith("raw:")) {
            return signer.substring(4);
        }
        return switch (signer) {
            case "absent" -> null;
            case "hmac" -> sign(hmac(SECRET), JWSAlgorithm.HS256, kid, claims);
            case "hmac-wrong" ->
                    sign(
                            hmac("the-wrong-secret-0123456789abcdefghij".getBytes()),
                            JWSAlgorithm.HS256,
                            kid,
                            claims);
            case "perkey" -> sign(hmac(PER_KEY_SECRET.getBytes()), JWSAlgorithm.HS256, kid, claims);
            case "rsa" -> sign(new RSASSASigner(RSA), JWSAlgorithm.RS256, kid, claims);
            case "ps256" -> sign(new RSASSASigner(RSA), JWSAlgorithm.PS256, kid, claims);
            case "rsa-other" -> sign(new RSASSASigner(RSA_OTHER), JWSAlgorithm.RS256, kid, claims);
            // algorithm confusion: the API's RSA public key, as Tyk stores it, used as an HMAC
            // secret
            case "rsa-public-as-hmac" ->
                    sign(hmac(pem(RSA.toPublicKey()).getBytes()), JWSAlgorithm.HS256, kid, claims);
            case "ec" -> sign(new ECDSASigner(EC), JWSAlgorithm.ES256, kid, claims);
            case "ec-other" -> sign(new ECDSASigner(EC_OTHER), JWSAlgorithm.ES256, kid, claims);
            case "none" -> new PlainJWT(JWTClaimsSet.parse(claims)).serialize();
            case "oversize" ->
                    sign(
                            hmac(SECRET),
                            JWSAlgorithm.HS256,
                            kid,
                            "{\"sub\":\"alice\",\"pad\":\"" + "x".repeat(9000) + "\"}");
            default -> throw new IllegalArgumentException("no signer " + signer);
        };
    }

    @ParameterizedTest(name = "{0} {1} kid={2} {3} -> {4}")
    @CsvFileSource(
            resources = "/compat/jwt.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void row(String api, String signer, String kid, String claims, int status, String expected)
            throws Exception {
        String token = token(signer, kid == null || kid.isEmpty() ? null : kid, claims(claims));
        String headers = token == null ? "" : "Authorization: Bearer " + token;
        TykRows.check("GET", "/" + api + "/x", "no", headers, null, status, expected);
    }

    @Test
    void aRotatedJwksKeyWorksFromItsFirstTokenAndACachedKeyOutlivesTheServer() {
        String first = sign(signer(JWKS_FIRST), JWSAlgorithm.RS256, "jwks-1", "{\"sub\":\"gina\"}");
        assertEquals(200, status("j-jwks", first));
        SERVED.set(new JWKSet(List.of(JWKS_SECOND.toPublicJWK())).toString());
        String second =
                sign(signer(JWKS_SECOND), JWSAlgorithm.RS256, "jwks-2", "{\"sub\":\"gina\"}");
        assertEquals(200, status("j-jwks", second), "the unknown kid fetched the set again");
        String unknown =
                sign(signer(rsa("jwks-3")), JWSAlgorithm.RS256, "jwks-3", "{\"sub\":\"gina\"}");
        assertEquals(403, status("j-jwks", unknown));
        String noKid = sign(signer(JWKS_SECOND), JWSAlgorithm.RS256, null, "{\"sub\":\"gina\"}");
        assertEquals(403, status("j-jwks", noKid));
        jwks.stop(0);
        for (int i = 0; i < 5; i++) {
            assertEquals(
                    200, status("j-jwks", second), "the cached key serves while the JWKS is down");
        }
    }

    @Test
    void aJwksThatCannotBeFetchedIsA503NotARefusal() {
        String token = sign(signer(JWKS_FIRST), JWSAlgorithm.RS256, "jwks-1", "{\"sub\":\"hal\"}");
        var response = given().header("Authorization", "Bearer " + token).get("/j-jwks-down/x");
        assertEquals(503, response.statusCode(), response.asString());
        assertTrue(
                response.asString().contains("JSON Web Key Set could not be fetched"),
                response.asString());
    }

    @Test
    void theQuotaOfAPolicyIsCountedPerSubjectAcrossItsTokens() {
        List<Integer> ivy = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // a fresh token each time: the session is the subject's, not the token's
            ivy.add(
                    status(
                            "j-quota",
                            sign(
                                    hmac(SECRET),
                                    JWSAlgorithm.HS256,
                                    null,
                                    "{\"sub\":\"ivy\",\"jti\":\"" + i + "\"}")));
        }
        assertEquals(List.of(200, 200, 403), ivy);
        given().header(
                        "Authorization",
                        "Bearer "
                                + sign(hmac(SECRET), JWSAlgorithm.HS256, null, "{\"sub\":\"ivy\"}"))
                .get("/j-quota/x")
                .then()
                .statusCode(403)
                .body(org.hamcrest.Matchers.equalTo("{\n    \"error\": \"Quota exceeded\"\n}"));
        assertEquals(
                200,
                status(
                        "j-quota",
                        sign(hmac(SECRET), JWSAlgorithm.HS256, null, "{\"sub\":\"jack\"}")));
    }

    @Test
    void theTokenMayComeFromTheConfiguredHeaderWithItsBearerPrefixInAnyCase() {
        String token = sign(hmac(SECRET), JWSAlgorithm.HS256, null, "{\"sub\":\"kim\"}");
        assertEquals(
                200,
                given().header("Authorization", "bearer " + token).get("/j-hmac/x").statusCode());
        assertEquals(200, given().header("Authorization", token).get("/j-hmac/x").statusCode());
        assertEquals(
                403,
                given().header("Authorization", "Bearer: " + token).get("/j-hmac/x").statusCode());
    }

    private static JWSSigner signer(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
