package gatehouse.system;

import static gatehouse.system.RunningSuite.admin;
import static gatehouse.system.RunningSuite.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JWT identities across three gateway nodes (issue 15): the quota and the rate limit of a JWT's
 * subject hold cluster-wide within the same bounds as a key's (KeysIT), whichever token of the
 * subject each request carries.
 */
class JwtIT {

    private static final String SECRET = "jwt-it-secret-0123456789abcdefghijklmn";
    private static RunningSuite running;

    @BeforeAll
    static void startThreeGatewaysWithJwtApis() {
        running = RunningSuite.start(3);
        String source = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
        for (String[] api :
                new String[][] {{"jwt-quota", "jwt-it-quota"}, {"jwt-rate", "jwt-it-rate"}}) {
            post(
                    "/tyk/policies",
                    """
                    {"id":"%s","org_id":"default",%s
                     "access_rights":{"%s":{"api_id":"%s","versions":["Default"]}}}"""
                            .formatted(
                                    api[1],
                                    api[0].equals("jwt-quota")
                                            ? "\"quota_max\":1000,\"quota_renewal_rate\":3600,"
                                            : "\"rate\":10,\"per\":1,",
                                    api[0],
                                    api[0]));
            post(
                    "/tyk/apis",
                    """
                    {"api_id":"%s","name":"JWT IT","org_id":"default","use_keyless":false,
                     "enable_jwt":true,"jwt_signing_method":"hmac","jwt_source":"%s",
                     "jwt_default_policies":["%s"],
                     "proxy":{"listen_path":"/%s/","target_url":"%s/","strip_listen_path":true}}"""
                            .formatted(api[0], source, api[1], api[0], running.upstream.url()));
        }
        for (int node = 0; node < 3; node++) {
            for (String api : List.of("jwt-quota", "jwt-rate")) {
                RunningSuite.awaitStatus(
                        gateway(node, "/" + api + "/x"),
                        400,
                        System.nanoTime(),
                        Duration.ofSeconds(10));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    private static void post(String path, String body) {
        var response =
                send(
                        admin(gateway(0, path))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build());
        assertEquals(200, response.statusCode(), response.body());
    }

    private static URI gateway(int node, String path) {
        return running.gateways.get(node).url().resolve(path);
    }

    /** A fresh token of the subject: a new {@code jti} each time. */
    private static String token(String subject) {
        try {
            var jws =
                    new JWSObject(
                            new JWSHeader(JWSAlgorithm.HS256),
                            new Payload(
                                    "{\"sub\":\"%s\",\"jti\":\"%s\"}"
                                            .formatted(subject, UUID.randomUUID())));
            jws.sign(new MACSigner(SECRET));
            return jws.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int call(int node, String api, String token) {
        try {
            return RunningSuite.HTTP
                    .send(
                            HttpRequest.newBuilder(gateway(node, "/" + api + "/x"))
                                    .header("Authorization", "Bearer " + token)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Round-robin over the nodes from three clients, a new token of the subject per request. */
    private static ConcurrentHashMap<Integer, AtomicInteger> load(
            String api, String subject, Predicate<ConcurrentHashMap<Integer, AtomicInteger>> stop)
            throws Exception {
        var statuses = new ConcurrentHashMap<Integer, AtomicInteger>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicLong next = new AtomicLong();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            clients.add(
                    pool.submit(
                            () -> {
                                while (!stop.test(statuses)) {
                                    int status =
                                            call(
                                                    (int) (next.getAndIncrement() % 3),
                                                    api,
                                                    token(subject));
                                    statuses.computeIfAbsent(status, s -> new AtomicInteger())
                                            .incrementAndGet();
                                }
                            }));
        }
        for (Future<?> client : clients) {
            client.get(120, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
        return statuses;
    }

    @Test
    void aSubjectsQuotaOfAThousandIsSharedByTheClusterWithinThirtyRequests() throws Exception {
        long started = System.nanoTime();
        var statuses =
                load(
                        "jwt-quota",
                        "quota-subject",
                        seen ->
                                seen.getOrDefault(403, new AtomicInteger()).get() > 90
                                        || System.nanoTime() - started > 90e9);
        int ok = statuses.getOrDefault(200, new AtomicInteger()).get();
        System.out.printf(
                "[measure] JWT subject quota 1000 round-robin over 3 gateways: %d successes, answers %s%n",
                ok, statuses);
        assertTrue(ok >= 1000, "the whole quota is usable: " + ok);
        assertTrue(ok <= 1030, "overshoot beyond 30: " + ok);
        assertEquals(200, call(0, "jwt-quota", token("another-subject")), "a quota per subject");
    }

    @Test
    void aSubjectsRateOfTenPerSecondHoldsClusterWide() throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        var statuses = load("jwt-rate", "rate-subject", seen -> System.nanoTime() > end);
        int ok = statuses.getOrDefault(200, new AtomicInteger()).get();
        int limited = statuses.getOrDefault(429, new AtomicInteger()).get();
        System.out.printf(
                "[measure] JWT subject rate 10/s over 10 s round-robin over 3 gateways: %d successes, %d x 429%n",
                ok, limited);
        assertTrue(limited > 0, "the limit was reached");
        assertTrue(ok <= 115, "about 10/s cluster-wide: " + ok);
        assertTrue(ok >= 80, "the rate is usable: " + ok);
    }
}
