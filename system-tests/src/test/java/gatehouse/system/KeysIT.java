package gatehouse.system;

import static gatehouse.system.RunningSuite.admin;
import static gatehouse.system.RunningSuite.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keys across three gateway nodes and the real keys-service: a quota is shared by the cluster
 * within a bounded overshoot, a rate limit holds cluster-wide, and a deleted key is refused
 * everywhere within two seconds and never comes back.
 */
class KeysIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "keys-it";
    private static RunningSuite running;

    @BeforeAll
    static void startThreeGatewaysWithAKeyedApi() {
        running = RunningSuite.start(3);
        String definition =
                """
                {"api_id":"%s","name":"Keys IT","org_id":"default","use_keyless":false,
                 "proxy":{"listen_path":"/keys-it/","target_url":"%s/","strip_listen_path":true}}"""
                        .formatted(API, running.upstream.url());
        assertEquals(
                200,
                send(admin(gateway(0, "/tyk/apis"))
                                .POST(HttpRequest.BodyPublishers.ofString(definition))
                                .build())
                        .statusCode());
        for (int node = 0; node < 3; node++) {
            RunningSuite.awaitStatus(
                    gateway(node, "/keys-it/x"), 401, System.nanoTime(), Duration.ofSeconds(10));
        }
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    private static URI gateway(int node, String path) {
        return running.gateways.get(node).url().resolve(path);
    }

    private static String createKey(String limits) throws Exception {
        var response =
                send(
                        admin(gateway(0, "/tyk/keys/create"))
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                """
                {"org_id":"default",%s"access_rights":{"%s":{"api_id":"%s","versions":["Default"]}}}"""
                                                        .formatted(limits, API, API)))
                                .build());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("key").asText();
    }

    private static int call(int node, String key) {
        try {
            return RunningSuite.HTTP
                    .send(
                            HttpRequest.newBuilder(gateway(node, "/keys-it/x"))
                                    .header("Authorization", key)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Calls round-robin over the three nodes from {@code clients} threads until {@code stop} says
     * so.
     */
    private static ConcurrentHashMap<Integer, AtomicInteger> load(
            int clients,
            String key,
            java.util.function.Predicate<ConcurrentHashMap<Integer, AtomicInteger>> stop)
            throws Exception {
        var statuses = new ConcurrentHashMap<Integer, AtomicInteger>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong next = new AtomicLong();
        List<Future<?>> running = new java.util.ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(
                    pool.submit(
                            () -> {
                                while (!stop.test(statuses)) {
                                    int status = call((int) (next.getAndIncrement() % 3), key);
                                    statuses.computeIfAbsent(status, s -> new AtomicInteger())
                                            .incrementAndGet();
                                }
                            }));
        }
        for (Future<?> f : running) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
        return statuses;
    }

    @Test
    void aQuotaOfAThousandIsSharedByTheClusterWithinThirtyRequests() throws Exception {
        String key = createKey("\"quota_max\":1000,\"quota_renewal_rate\":3600,");
        long started = System.nanoTime();
        // round-robin until the nodes have refused the key many times over
        var statuses =
                load(
                        3,
                        key,
                        seen ->
                                seen.getOrDefault(403, new AtomicInteger()).get() > 90
                                        || System.nanoTime() - started > 90e9);
        int ok = statuses.getOrDefault(200, new AtomicInteger()).get();
        double seconds = (System.nanoTime() - started) / 1e9;
        int total = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
        System.out.printf(
                "[measure] quota 1000 round-robin over 3 gateways (3 clients, %.0f requests/s): %d successes,"
                        + " answers %s%n",
                total / seconds, ok, statuses);
        assertTrue(ok >= 1000, "the whole quota is usable: " + ok);
        assertTrue(ok <= 1030, "overshoot beyond 30: " + ok);
    }

    @Test
    void aRateOfTenPerSecondHoldsClusterWide() throws Exception {
        String key = createKey("\"rate\":10,\"per\":1,");
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        var statuses = load(3, key, seen -> System.nanoTime() > end);
        int ok = statuses.getOrDefault(200, new AtomicInteger()).get();
        int limited = statuses.getOrDefault(429, new AtomicInteger()).get();
        System.out.printf(
                "[measure] rate 10/s over 10 s round-robin over 3 gateways: %d successes (%.1f/s), %d x 429%n",
                ok, ok / 10.0, limited);
        assertTrue(limited > 0, "the limit was reached");
        // each node takes a third of the rate; a full bucket at the start adds one second's worth
        assertTrue(ok <= 115, "about 10/s cluster-wide: " + ok);
        assertTrue(ok >= 80, "the rate is usable: " + ok);
    }

    @Test
    void aDeletedKeyIsRefusedEverywhereWithinTwoSecondsAndNeverComesBack() throws Exception {
        String key = createKey("");
        for (int node = 0; node < 3; node++) {
            assertEquals(200, call(node, key));
        }
        AtomicLong deletedAt = new AtomicLong();
        AtomicLong lastSuccessAfterDelete = new AtomicLong();
        AtomicInteger sent = new AtomicInteger();
        var refusedAfterDelete = new java.util.concurrent.atomic.AtomicIntegerArray(3);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean cameBack = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> clients = new java.util.ArrayList<>();
        for (int node = 0; node < 3; node++) {
            int n = node;
            clients.add(
                    pool.submit(
                            () -> {
                                while (!stop.get()) {
                                    long at = System.nanoTime();
                                    int status = call(n, key);
                                    sent.incrementAndGet();
                                    long deleted = deletedAt.get();
                                    if (deleted != 0 && at > deleted) {
                                        if (status == 200) {
                                            lastSuccessAfterDelete.accumulateAndGet(at, Math::max);
                                            if (refusedAfterDelete.get(n) > 0) {
                                                cameBack.set(true);
                                            }
                                        } else if (status == 403) {
                                            refusedAfterDelete.incrementAndGet(n);
                                        }
                                    }
                                }
                            }));
        }
        // under load: the key is served on every node before it is deleted
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sent.get() >= 60);
        deletedAt.set(System.nanoTime());
        var deleted = send(admin(gateway(1, "/tyk/keys/" + key)).DELETE().build());
        assertEquals(200, deleted.statusCode(), deleted.body());
        // and it stays refused: every node refuses it 300 times over
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                refusedAfterDelete.get(0) >= 300
                                        && refusedAfterDelete.get(1) >= 300
                                        && refusedAfterDelete.get(2) >= 300);
        stop.set(true);
        for (Future<?> client : clients) {
            client.get(30, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
        long last = lastSuccessAfterDelete.get();
        double refusedAfterMs = last == 0 ? 0 : (last - deletedAt.get()) / 1e6;
        System.out.printf(
                "[measure] deleted key: last success %.0f ms after the delete call; then refused %s times per node%n",
                refusedAfterMs, refusedAfterDelete);
        assertTrue(refusedAfterMs < 2000, "served " + refusedAfterMs + " ms after deletion");
        assertTrue(!cameBack.get(), "a node served the key again after refusing it");
        for (int node = 0; node < 3; node++) {
            assertEquals(403, call(node, key));
        }
    }
}
