package gatehouse.system;

import static gatehouse.system.RunningSuite.admin;
import static gatehouse.system.RunningSuite.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A provisioning script's create-then-use pairs, run back to back with no pause through three
 * gateways (ADR 0008): the second call must see the first, whichever service answers and whether or
 * not the first one's event has travelled yet. Counts spurious refusals (none allowed) and measures
 * the second call.
 */
class ReadYourWritesIT {

    private static final int PAIRS = Integer.getInteger("gatehouse.ryw.pairs", 200);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningSuite running;

    @BeforeAll
    static void start() {
        running = RunningSuite.start(3);
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    private static URI gateway(int n, String path) {
        return running.gateways.get(n % running.gateways.size()).url().resolve(path);
    }

    private static HttpResponse<String> post(int n, String path, String body) {
        return send(
                admin(gateway(n, path)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void anOAuthClientForAJustCreatedApi() {
        pairs(
                "OAuth client for a just-created API",
                n -> {
                    String api = "ryw-oauth-" + n;
                    var created =
                            post(
                                    n,
                                    "/tyk/apis",
                                    """
                    {"api_id":"%s","name":"%s","org_id":"default","use_oauth2":true,"use_keyless":false,
                     "oauth_meta":{"allowed_access_types":["client_credentials"],"allowed_authorize_types":["code"],
                                   "auth_login_redirect":"http://login.example/"},
                     "proxy":{"listen_path":"/%s/","target_url":"%s/","strip_listen_path":true}}"""
                                            .formatted(api, api, api, running.upstream.url()));
                    assertEquals(200, created.statusCode(), created.body());
                    return () -> {
                        var client =
                                post(
                                        n + 1,
                                        "/tyk/oauth/clients/create",
                                        """
                        {"client_id":"c-%s","secret":"a-long-enough-secret-%d","api_id":"%s","redirect_uri":"http://cb.example/"}"""
                                                .formatted(api, n, api));
                        // and read back at once through another gateway
                        return client.statusCode() != 200
                                ? client
                                : send(
                                        admin(
                                                        gateway(
                                                                n + 2,
                                                                "/tyk/oauth/clients/"
                                                                        + api
                                                                        + "/c-"
                                                                        + api))
                                                .build());
                    };
                },
                answer -> answer.statusCode() == 200);
    }

    @Test
    void aKeyApplyingAJustCreatedPolicyWorksOnEveryGateway() {
        var api =
                post(
                        0,
                        "/tyk/apis",
                        """
                {"api_id":"ryw-keyed","name":"ryw-keyed","org_id":"default","use_keyless":false,
                 "proxy":{"listen_path":"/ryw-keyed/","target_url":"%s/","strip_listen_path":true}}"""
                                .formatted(running.upstream.url()));
        assertEquals(200, api.statusCode(), api.body());
        List<String> proxyRefusals = new ArrayList<>();
        pairs(
                "key applying a just-created policy",
                n -> {
                    String policy = "ryw-pol-" + n;
                    var created =
                            post(
                                    n,
                                    "/tyk/policies",
                                    """
                    {"id":"%s","org_id":"default","rate":1000,"per":1,
                     "access_rights":{"ryw-keyed":{"api_id":"ryw-keyed","versions":["Default"]}}}"""
                                            .formatted(policy));
                    assertEquals(200, created.statusCode(), created.body());
                    return () -> {
                        var key =
                                post(
                                        n + 1,
                                        "/tyk/keys/create",
                                        """
                        {"org_id":"default","apply_policies":["%s"]}"""
                                                .formatted(policy));
                        if (key.statusCode() == 200) {
                            // and a proxied request with it at once, on the next gateway
                            String token = readKey(key.body());
                            var proxied =
                                    send(
                                            HttpRequest.newBuilder(gateway(n + 2, "/ryw-keyed/x"))
                                                    .header("Authorization", token)
                                                    .build());
                            if (proxied.statusCode() != 200) {
                                proxyRefusals.add(
                                        n + ": " + proxied.statusCode() + " " + proxied.body());
                            }
                        }
                        return key;
                    };
                },
                answer -> answer.statusCode() == 200);
        assertEquals(List.of(), proxyRefusals);
    }

    @Test
    void aPolicyNamingAJustCreatedApiAndReadingBoth() {
        pairs(
                "policy naming a just-created API, then GET of both",
                n -> {
                    String api = "ryw-api-" + n;
                    var created =
                            post(
                                    n,
                                    "/tyk/apis",
                                    """
                    {"api_id":"%s","name":"%s","org_id":"default","use_keyless":true,
                     "proxy":{"listen_path":"/%s/","target_url":"%s/","strip_listen_path":true}}"""
                                            .formatted(api, api, api, running.upstream.url()));
                    assertEquals(200, created.statusCode(), created.body());
                    return () -> {
                        var policy =
                                post(
                                        n + 1,
                                        "/tyk/policies",
                                        """
                        {"id":"ryw-apipol-%d","org_id":"default","access_rights":{"%s":{"api_id":"%s","versions":["Default"]}}}"""
                                                .formatted(n, api, api));
                        if (policy.statusCode() != 200) {
                            return policy;
                        }
                        var readApi = send(admin(gateway(n + 2, "/tyk/apis/" + api)).build());
                        return readApi.statusCode() != 200
                                ? readApi
                                : send(admin(gateway(n, "/tyk/policies/ryw-apipol-" + n)).build());
                    };
                },
                answer -> answer.statusCode() == 200);
    }

    /**
     * Runs the pairs: each first call, then at once its second; every second call must pass.
     *
     * @param first does the first call and returns the second
     */
    private static void pairs(
            String what,
            IntFunction<java.util.function.Supplier<HttpResponse<String>>> first,
            java.util.function.Predicate<HttpResponse<String>> passed) {
        List<Long> micros = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (int n = 0; n < PAIRS; n++) {
            var second = first.apply(n);
            long started = System.nanoTime();
            HttpResponse<String> answer = second.get();
            micros.add((System.nanoTime() - started) / 1_000);
            if (!passed.test(answer)) {
                refused.add(n + ": " + answer.statusCode() + " " + answer.body().strip());
            }
        }
        Collections.sort(micros);
        System.out.printf(
                "[measure] %s: %d pairs, %d spurious refusals; second call p50 %.1f ms, p99 %.1f ms%n",
                what,
                PAIRS,
                refused.size(),
                micros.get(micros.size() / 2) / 1000.0,
                micros.get((int) Math.ceil(micros.size() * 0.99) - 1) / 1000.0);
        assertEquals(List.of(), refused.subList(0, Math.min(refused.size(), 10)), what);
        assertTrue(micros.size() == PAIRS);
    }

    private static String readKey(String body) {
        try {
            return JSON.readTree(body).path("key").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(body, e);
        }
    }
}
