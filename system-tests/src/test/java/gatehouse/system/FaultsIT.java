package gatehouse.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.local.Suite;
import gatehouse.testsupport.EchoUpstream;
import gatehouse.testsupport.TestInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault drills end to end, on a broker of the test's own that it stops and starts again on the same
 * ports and data: admin writes acknowledged while the broker is down are stored and live on every
 * gateway once it returns; proxied traffic never fails meanwhile, nor while an API changes every
 * second, nor while its owner is killed or frozen (control calls then answer 503 in time); a
 * gateway restarted while the broker is down serves its local snapshot. The short drill runs in
 * {@code verify}; {@code -Dgatehouse.faults.writes=1000 -Dgatehouse.faults.outage=15s} is the long
 * one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    private static final int WRITES = Integer.getInteger("gatehouse.faults.writes", 200);
    private static final Duration OUTAGE =
            Duration.parse("PT" + System.getProperty("gatehouse.faults.outage", "5s"));
    private static final Duration RELOAD_UNDER_LOAD =
            Duration.parse("PT" + System.getProperty("gatehouse.faults.reload", "15s"));
    private static final Duration START = RunningSuite.START;

    private static StoppableBroker broker;
    private static Suite suite;
    private static EchoUpstream upstream;
    private static final Map<Suite.Owner, URI> owners = new EnumMap<>(Suite.Owner.class);
    private static final List<Suite.Service> gateways = new ArrayList<>();
    private static final List<String> databases = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        broker = StoppableBroker.start("faults", START);
        Path root = Path.of(System.getProperty("gatehouse.root", ".."));
        Path logs = root.resolve("system-tests/target/service-logs/faults");
        Files.createDirectories(logs);
        suite =
                new Suite(
                        root,
                        logs,
                        broker.bootstrapServers(),
                        TestInfrastructure.get().postgres(),
                        RunningSuite.SECRET);
        upstream = EchoUpstream.start();
        for (Suite.Owner owner : Suite.Owner.values()) {
            String database =
                    TestInfrastructure.get()
                            .freshDatabase("gatehouse_faults_" + owner.name().toLowerCase());
            databases.add(database);
            owners.put(owner, suite.startOwner(owner, database, START).url());
        }
        gateways.add(suite.startGateway(0, owners, START));
        gateways.add(suite.startGateway(0, owners, START));
        assertEquals(200, create("f-live", "/f-live/").statusCode());
        for (Suite.Service gateway : gateways) {
            RunningSuite.awaitStatus(
                    gateway.url().resolve("/f-live/x"),
                    200,
                    System.nanoTime(),
                    Duration.ofSeconds(10));
        }
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (broker != null) {
            broker.close();
        }
        databases.forEach(db -> TestInfrastructure.get().postgres().dropDatabase(db));
    }

    @Test
    @Order(1)
    void writesAcknowledgedAcrossTwoBrokerRestartsAreStoredAndLiveEverywhere() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        long returned = 0;
        // two outages, each long enough for writes to go on during it
        int[] outageAt = {WRITES / 5, WRITES * 3 / 5};
        int outages = 0;
        try (Traffic traffic = Traffic.start(100)) {
            for (int i = 0; i < WRITES; i++) {
                long next = System.nanoTime() + 100_000_000L; // 10 writes a second
                if (outages < outageAt.length && i >= outageAt[outages]) {
                    outages++;
                    broker.stop();
                    System.out.printf("[measure] broker stopped at write %d for %s%n", i, OUTAGE);
                    long back = System.nanoTime() + OUTAGE.toNanos();
                    // writes keep coming while the broker is away
                    while (System.nanoTime() < back && i < WRITES) {
                        write(i++, acknowledged);
                        pace(System.nanoTime() + 100_000_000L);
                    }
                    broker.restart();
                    returned = System.nanoTime();
                }
                write(i, acknowledged);
                pace(next);
            }
            assertTrue(
                    acknowledged.size() >= WRITES * 9 / 10,
                    "most writes must be acknowledged, got "
                            + acknowledged.size()
                            + " of "
                            + WRITES);
            for (Suite.Service gateway : gateways) {
                for (String id : acknowledged) {
                    RunningSuite.awaitStatus(
                            gateway.url().resolve("/" + id + "/x"),
                            200,
                            returned,
                            Duration.ofSeconds(30));
                }
            }
            long liveAfter = (System.nanoTime() - returned) / 1_000_000;
            System.out.printf(
                    "[measure] %d of %d writes acknowledged across two broker restarts; all live on %d "
                            + "gateways %d ms after the broker's return; traffic %d requests, %d failed%n",
                    acknowledged.size(),
                    WRITES,
                    gateways.size(),
                    liveAfter,
                    traffic.sent(),
                    traffic.failures().size());
            assertEquals(List.of(), traffic.failures());
        }
    }

    @Test
    @Order(2)
    void definitionsChangingEverySecondUnderLoadFailNoRequest() throws Exception {
        try (Traffic traffic = Traffic.start(200)) {
            long end = System.nanoTime() + RELOAD_UNDER_LOAD.toNanos();
            int changes = 0;
            while (System.nanoTime() < end) {
                long next = System.nanoTime() + 1_000_000_000L;
                var answer =
                        RunningSuite.send(
                                RunningSuite.admin(
                                                gateways.get(0).url().resolve("/tyk/apis/f-live"))
                                        .PUT(
                                                HttpRequest.BodyPublishers.ofString(
                                                        definition(
                                                                "f-live",
                                                                "/f-live/",
                                                                "changed-" + changes)))
                                        .build());
                assertEquals(200, answer.statusCode(), answer.body());
                changes++;
                pace(next);
            }
            System.out.printf(
                    "[measure] %d definition changes under load: %d requests, %d failed%n",
                    changes, traffic.sent(), traffic.failures().size());
            assertEquals(List.of(), traffic.failures());
            assertTrue(
                    traffic.sent() > RELOAD_UNDER_LOAD.toSeconds() * 50,
                    "the load must run, sent " + traffic.sent());
        }
    }

    @Test
    @Order(3)
    void aKilledOrFrozenOwnerGivesA503InTimeAndTrafficGoesOn() throws Exception {
        Suite.Service admin =
                suite.processes().stream()
                        .filter(p -> p.name().equals("admin-service"))
                        .findFirst()
                        .map(p -> new Suite.Service(p, owners.get(Suite.Owner.ADMIN)))
                        .orElseThrow();
        try (Traffic traffic = Traffic.start(100)) {
            admin.process().suspend();
            long started = System.nanoTime();
            var frozen =
                    RunningSuite.send(
                            RunningSuite.admin(gateways.get(0).url().resolve("/tyk/apis"))
                                    .timeout(Duration.ofSeconds(30))
                                    .build());
            long frozenMillis = (System.nanoTime() - started) / 1_000_000;
            admin.process().resume();
            assertEquals(503, frozen.statusCode(), frozen.body());
            assertTrue(
                    frozen.body().contains("\"status\":\"error\"")
                            && frozen.body().contains("admin-service"),
                    frozen.body());
            assertTrue(
                    frozenMillis < 15_000,
                    "a frozen owner must be given up on in time, took " + frozenMillis + " ms");

            ProcessHandle.of(admin.process().pid()).ifPresent(ProcessHandle::destroyForcibly);
            RunningSuite.awaitStatus(
                    gateways.get(0).url().resolve("/tyk/apis"),
                    503,
                    System.nanoTime(),
                    Duration.ofSeconds(10));
            started = System.nanoTime();
            var killed =
                    RunningSuite.send(
                            RunningSuite.admin(gateways.get(0).url().resolve("/tyk/apis")).build());
            long killedMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(503, killed.statusCode(), killed.body());
            for (Suite.Service gateway : gateways) {
                assertEquals(
                        200,
                        RunningSuite.send(
                                        HttpRequest.newBuilder(gateway.url().resolve("/ready"))
                                                .build())
                                .statusCode(),
                        "a gateway stays ready while an owner is down");
            }
            System.out.printf(
                    "[measure] frozen owner: 503 after %d ms; killed owner: 503 after %d ms; traffic %d "
                            + "requests, %d failed%n",
                    frozenMillis, killedMillis, traffic.sent(), traffic.failures().size());
            assertEquals(List.of(), traffic.failures());
        }
    }

    @Test
    @Order(4)
    void aGatewayRestartedWhileTheBrokerIsDownServesItsSnapshot() throws Exception {
        Suite.Service gateway = gateways.get(1);
        int port = gateway.url().getPort();
        broker.stop();
        gateway.process().close();
        long started = System.nanoTime();
        Suite.Service restarted = suite.startGateway(port, owners, "/hello", START);
        gateways.set(1, restarted);
        RunningSuite.awaitStatus(
                restarted.url().resolve("/ready"), 200, started, Duration.ofSeconds(60));
        long readyMillis = (System.nanoTime() - started) / 1_000_000;
        var served =
                RunningSuite.send(
                        HttpRequest.newBuilder(restarted.url().resolve("/f-live/x")).build());
        assertEquals(200, served.statusCode(), served.body());
        var hello =
                RunningSuite.send(
                        HttpRequest.newBuilder(restarted.url().resolve("/hello")).build());
        assertTrue(
                hello.body().contains("\"snapshot\""),
                "the health details say the node serves its snapshot: " + hello.body());
        System.out.printf(
                "[measure] gateway restarted with the broker down: ready from its snapshot %d ms after start%n",
                readyMillis);
        broker.restart();
    }

    private static void write(int i, List<String> acknowledged) {
        String id = "f-" + i;
        try {
            HttpResponse<String> answer = create(id, "/" + id + "/");
            if (answer.statusCode() == 200) {
                acknowledged.add(id);
            }
        } catch (IllegalStateException e) {
            // not acknowledged: the client was not told it was stored
        }
    }

    private static HttpResponse<String> create(String id, String listenPath) {
        return RunningSuite.send(
                RunningSuite.admin(gateways.get(0).url().resolve("/tyk/apis"))
                        .POST(HttpRequest.BodyPublishers.ofString(definition(id, listenPath, id)))
                        .build());
    }

    private static String definition(String id, String listenPath, String name) {
        return """
                {"api_id":"%s","name":"%s","org_id":"default","use_keyless":true,"active":true,
                 "proxy":{"listen_path":"%s","target_url":"%s/","strip_listen_path":true}}"""
                .formatted(id, name, listenPath, upstream.url());
    }

    private static void pace(long until) {
        while (System.nanoTime() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
        }
    }

    /** Open-loop requests to /f-live/ on every gateway in turn; each non-2xx or failure is kept. */
    private record Traffic(
            Thread thread,
            AtomicBoolean running,
            AtomicLong count,
            ConcurrentLinkedQueue<String> failed)
            implements AutoCloseable {

        static Traffic start(int perSecond) {
            var running = new AtomicBoolean(true);
            var count = new AtomicLong();
            var failed = new ConcurrentLinkedQueue<String>();
            Thread thread =
                    new Thread(
                            () -> {
                                long interval = 1_000_000_000L / perSecond;
                                long next = System.nanoTime();
                                int n = 0;
                                while (running.get()) {
                                    Suite.Service gateway = gateways.get(n++ % gateways.size());
                                    try {
                                        var answer =
                                                RunningSuite.HTTP.send(
                                                        HttpRequest.newBuilder(
                                                                        gateway.url()
                                                                                .resolve(
                                                                                        "/f-live/x"))
                                                                .timeout(Duration.ofSeconds(5))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.discarding());
                                        if (answer.statusCode() / 100 != 2) {
                                            failed.add(gateway.url() + " " + answer.statusCode());
                                        }
                                    } catch (IOException e) {
                                        failed.add(gateway.url() + " " + e);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                    count.incrementAndGet();
                                    next += interval;
                                    pace(next);
                                }
                            },
                            "faults-traffic");
            thread.setDaemon(true);
            thread.start();
            return new Traffic(thread, running, count, failed);
        }

        long sent() {
            return count.get();
        }

        List<String> failures() {
            return List.copyOf(failed).subList(0, Math.min(failed.size(), 20));
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
