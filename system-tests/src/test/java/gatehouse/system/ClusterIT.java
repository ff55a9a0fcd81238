package gatehouse.system;

import static gatehouse.system.RunningSuite.admin;
import static gatehouse.system.RunningSuite.awaitStatus;
import static gatehouse.system.RunningSuite.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gatehouse.local.Suite;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three gateway nodes kept in sync through Kafka: changes reach every node within a second, a group
 * reload is acknowledged by all of them, a paused node catches up when it resumes, and a route
 * under load never fails while its API is updated.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningSuite running;

    @BeforeAll
    static void startThreeGateways() {
        running = RunningSuite.start(3);
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

    private static HttpResponse<String> post(String body) {
        return send(
                admin(gateway(0, "/tyk/apis"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    /** Paces a loop: waits until {@code nanos} (a rate, not a synchronisation). */
    private static void until(long nanos) {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    @Test
    @Order(1)
    void twoHundredChangesAtTenPerSecondReachEveryNodeWithinASecond() throws Exception {
        int changes = 200;
        List<Long> delays = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pollers = Executors.newFixedThreadPool(6);
        List<Future<?>> polls = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < changes; i++) {
            until(start + i * 100_000_000L);
            String id = "change-" + i;
            HttpResponse<String> answer = post(running.keyless(id, "/" + id + "/"));
            long answered = System.nanoTime();
            assertEquals(200, answer.statusCode(), answer.body());
            for (int node = 0; node < 3; node++) {
                URI url = gateway(node, "/" + id + "/");
                polls.add(
                        pollers.submit(
                                () -> {
                                    long deadline = answered + Duration.ofSeconds(10).toNanos();
                                    while (System.nanoTime() < deadline) {
                                        HttpResponse<String> response =
                                                send(HttpRequest.newBuilder(url).build());
                                        if (response.statusCode() == 200) {
                                            delays.add((System.nanoTime() - answered) / 1_000_000);
                                            return;
                                        }
                                        LockSupport.parkNanos(5_000_000); // poll interval
                                    }
                                    throw new AssertionError(url + " not live within 10 s");
                                }));
            }
        }
        for (Future<?> poll : polls) {
            poll.get(30, TimeUnit.SECONDS);
        }
        pollers.shutdown();
        List<Long> sorted = new ArrayList<>(delays);
        Collections.sort(sorted);
        long p50 = sorted.get(sorted.size() / 2);
        long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
        System.out.printf(
                "[measure] %d changes x 3 nodes, admin answer to live: p50 %d ms, p99 %d ms, max %d ms%n",
                changes, p50, p99, sorted.get(sorted.size() - 1));
        assertEquals(changes * 3, sorted.size());
        assertTrue(p99 < 1000, "p99 " + p99 + " ms");
    }

    @Test
    @Order(2)
    void aBlockingGroupReloadReturnsWithEveryNodeListed() throws Exception {
        // every node has announced itself (heartbeats are sent every second)
        long since = System.nanoTime();
        JsonNode cluster;
        do {
            cluster = JSON.readTree(send(admin(gateway(1, "/tyk/cluster")).build()).body());
        } while (cluster.get("live_nodes").asInt() < 3
                && System.nanoTime() - since < Duration.ofSeconds(10).toNanos());

        HttpResponse<String> reload =
                send(admin(gateway(1, "/tyk/reload/group?block=true")).build());

        assertEquals(200, reload.statusCode(), reload.body());
        JsonNode nodes = JSON.readTree(reload.body()).get("nodes");
        List<String> acknowledged = new ArrayList<>();
        nodes.forEach(
                node -> {
                    if (node.get("acknowledged").asBoolean()) {
                        acknowledged.add(node.get("node_id").asText());
                    }
                });
        for (Suite.Service gateway : running.gateways) {
            assertTrue(acknowledged.contains("gateway-" + gateway.url().getPort()), reload.body());
        }
        System.out.println("[measure] group reload answer: " + reload.body().strip());
    }

    @Test
    @Order(3)
    void aNodePausedForTwentySecondsCatchesUpWithinFiveSecondsOfResuming() {
        Suite.Service paused = running.gateways.get(2);
        paused.process().suspend();
        int changes = 0;
        long start = System.nanoTime();
        try {
            // twenty seconds of changes while the node is frozen
            while (System.nanoTime() - start < Duration.ofSeconds(20).toNanos()) {
                String id = "while-paused-" + changes++;
                assertEquals(200, post(running.keyless(id, "/" + id + "/")).statusCode());
                until(start + changes * 1_000_000_000L);
            }
            awaitStatus(
                    gateway(0, "/while-paused-" + (changes - 1) + "/"),
                    200,
                    System.nanoTime(),
                    Duration.ofSeconds(3));
        } finally {
            paused.process().resume();
        }
        long resumed = System.nanoTime();
        for (int i = 0; i < changes; i++) {
            awaitStatus(
                    gateway(2, "/while-paused-" + i + "/"), 200, resumed, Duration.ofSeconds(5));
        }
        System.out.printf(
                "[measure] node paused 20 s (%d changes meanwhile) served all of them %d ms after SIGCONT%n",
                changes, (System.nanoTime() - resumed) / 1_000_000);
    }

    @Test
    @Order(4)
    void noRequestFailsWhileTheApiUnderLoadIsUpdatedTwentyTimes() throws Exception {
        assertEquals(200, post(steady(0)).statusCode());
        for (int node = 0; node < 3; node++) {
            awaitStatus(gateway(node, "/steady/x"), 200, System.nanoTime(), Duration.ofSeconds(3));
        }
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService load = Executors.newFixedThreadPool(3);
        List<Future<?>> workers = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            URI url = gateway(node, "/steady/x");
            workers.add(
                    load.submit(
                            () -> {
                                while (loading.get()) {
                                    HttpResponse<String> response =
                                            send(HttpRequest.newBuilder(url).build());
                                    if (response.statusCode() / 100 == 2) {
                                        ok.incrementAndGet();
                                    } else {
                                        failures.add(
                                                url
                                                        + " "
                                                        + response.statusCode()
                                                        + " "
                                                        + response.body());
                                    }
                                }
                            }));
        }
        long start = System.nanoTime();
        for (int version = 1; version <= 20; version++) {
            until(start + version * 200_000_000L);
            var update =
                    send(
                            admin(gateway(0, "/tyk/apis/steady"))
                                    .PUT(HttpRequest.BodyPublishers.ofString(steady(version)))
                                    .build());
            assertEquals(200, update.statusCode(), update.body());
        }
        for (int node = 0; node < 3; node++) {
            URI url = gateway(node, "/steady/x");
            long since = System.nanoTime();
            while (!send(HttpRequest.newBuilder(url).build()).body().contains("/v20/x")) {
                assertTrue(
                        System.nanoTime() - since < Duration.ofSeconds(3).toNanos(),
                        url + " did not apply version 20");
            }
        }
        loading.set(false);
        for (Future<?> worker : workers) {
            worker.get(10, TimeUnit.SECONDS);
        }
        load.shutdown();
        System.out.printf(
                "[measure] %d requests during 20 updates, %d non-2xx%n",
                ok.get() + failures.size(), failures.size());
        assertEquals(List.of(), failures);
        assertTrue(ok.get() > 100, "too little load to mean anything: " + ok.get());
    }

    private static String steady(int version) {
        return """
                {"api_id":"steady","name":"steady","use_keyless":true,
                 "proxy":{"listen_path":"/steady/","target_url":"%s/v%d/","strip_listen_path":true}}"""
                .formatted(running.upstream.url(), version);
    }
}
