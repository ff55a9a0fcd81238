package gatehouse.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gatehouse.local.Suite;
import gatehouse.testsupport.EchoUpstream;
import gatehouse.testsupport.TestInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Analytics end to end (issue 12): three gateways record every request of a known mix (keyless,
 * keyed, OAuth, 2xx/3xx/4xx/5xx, tracked and untracked endpoints) through Kafka; dashboard-service
 * folds them and its activity and usage endpoints answer exactly the counts sent, also after the
 * aggregator is killed with {@code kill -9} five times under load, and after the broker is stopped
 * for 30 s under load (the gateways hold their records through it and drop none while they fit the
 * queue; whatever is missing was reported dropped, nothing counts twice). On a broker of the test's
 * own, which it stops. {@code -Dgatehouse.analytics.outage=60s} lengthens the outage.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalyticsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = RunningSuite.START;
    private static final String DASHBOARD_SECRET = "it-dashboard-admin-secret";
    private static final Duration OUTAGE =
            Duration.parse("PT" + System.getProperty("gatehouse.analytics.outage", "30s"));

    /** The gateways' gatehouse.analytics.buffer-size (they run with the default). */
    private static final long DEFAULT_BUFFER = 32768;

    private static StoppableBroker broker;
    private static Suite suite;
    private static EchoUpstream upstream;
    private static final Map<Suite.Owner, URI> owners = new EnumMap<>(Suite.Owner.class);
    private static final List<Suite.Service> gateways = new ArrayList<>();
    private static final List<String> databases = new ArrayList<>();
    private static Suite.Service dashboard;
    private static String orgId;
    private static String userKey;
    private static String key;
    private static String keyHash;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        broker = StoppableBroker.start("analytics", START);
        Path root = Path.of(System.getProperty("gatehouse.root", ".."));
        Path logs = root.resolve("system-tests/target/service-logs/analytics");
        Files.createDirectories(logs);
        suite =
                new Suite(
                        root,
                        logs,
                        broker.bootstrapServers(),
                        TestInfrastructure.get().postgres(),
                        RunningSuite.SECRET);
        // the upstream answers /s/<code> with that code, anything else with 200
        upstream =
                EchoUpstream.start(
                        Map.of(
                                "/s/",
                                exchange -> {
                                    String path = exchange.getRequestURI().getPath();
                                    int code =
                                            Integer.parseInt(
                                                    path.substring(path.lastIndexOf('/') + 1));
                                    exchange.getRequestBody().readAllBytes();
                                    if (code >= 300 && code < 400) {
                                        exchange.getResponseHeaders().set("Location", "/elsewhere");
                                    }
                                    exchange.sendResponseHeaders(code, -1);
                                    exchange.close();
                                }));
        for (Suite.Owner owner : Suite.Owner.values()) {
            String database =
                    TestInfrastructure.get()
                            .freshDatabase("gatehouse_analytics_" + owner.name().toLowerCase());
            databases.add(database);
            owners.put(owner, suite.startOwner(owner, database, START).url());
        }
        String dashboardDb =
                TestInfrastructure.get().freshDatabase("gatehouse_analytics_dashboard");
        databases.add(dashboardDb);
        dashboard = suite.startDashboard(0, dashboardDb, DASHBOARD_SECRET, START);
        for (int i = 0; i < 3; i++) {
            gateways.add(suite.startGateway(0, owners, START));
        }

        orgId =
                dashboardAdmin("/admin/organisations", "{\"owner_name\":\"Analytics IT\"}")
                        .path("Meta")
                        .asText();
        userKey =
                dashboardAdmin(
                                "/admin/users",
                                "{\"org_id\":\""
                                        + orgId
                                        + "\",\"first_name\":\"A\",\"last_name\":\"N\",\"email_address\":\"an@example.org\"}")
                        .path("Message")
                        .asText();
        String tracked =
                """
                "version_data":{"not_versioned":true,"versions":{"Default":{"name":"Default","use_extended_paths":true,
                  "extended_paths":{"track_endpoints":[{"path":"/tracked","method":"GET"}]}}}}""";
        create(
                "/tyk/apis",
                """
                {"api_id":"an-keyless","name":"Keyless","org_id":"%s","use_keyless":true,"active":true,%s,
                 "proxy":{"listen_path":"/an-keyless/","target_url":"%s/","strip_listen_path":true}}"""
                        .formatted(orgId, tracked, upstream.url()));
        create(
                "/tyk/apis",
                """
                {"api_id":"an-keyed","name":"Keyed","org_id":"%s","use_keyless":false,"active":true,%s,
                 "auth":{"auth_header_name":"Authorization"},
                 "proxy":{"listen_path":"/an-keyed/","target_url":"%s/","strip_listen_path":true}}"""
                        .formatted(orgId, tracked, upstream.url()));
        create(
                "/tyk/apis",
                """
                {"api_id":"an-oauth","name":"OAuth","org_id":"%s","use_oauth2":true,"use_keyless":false,"active":true,%s,
                 "oauth_meta":{"allowed_access_types":["client_credentials"],"allowed_authorize_types":["token"],
                               "auth_login_redirect":"http://login.example/"},
                 "proxy":{"listen_path":"/an-oauth/","target_url":"%s/","strip_listen_path":true}}"""
                        .formatted(orgId, tracked, upstream.url()));
        create(
                "/tyk/policies",
                """
                {"id":"an-oauth-pol","org_id":"%s","rate":100000,"per":1,
                 "access_rights":{"an-oauth":{"api_id":"an-oauth","versions":["Default"]}}}"""
                        .formatted(orgId));
        for (Suite.Service gateway : gateways) {
            RunningSuite.awaitStatus(
                    gateway.url().resolve("/an-keyless/warm"),
                    200,
                    System.nanoTime(),
                    Duration.ofSeconds(20));
            RunningSuite.awaitStatus(
                    gateway.url().resolve("/an-keyed/warm"),
                    401,
                    System.nanoTime(),
                    Duration.ofSeconds(20));
        }
        JsonNode created =
                create(
                        "/tyk/keys/create",
                        """
                        {"org_id":"%s","rate":100000,"per":1,"quota_max":-1,
                         "access_rights":{"an-keyed":{"api_id":"an-keyed","api_name":"Keyed","versions":["Default"]}}}"""
                                .formatted(orgId));
        key = created.path("key").asText();
        keyHash = created.path("key_hash").asText();
        assertTrue(!keyHash.isEmpty(), created.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> client;
        do {
            client =
                    RunningSuite.send(
                            RunningSuite.admin(gateway(0, "/tyk/oauth/clients/create"))
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    """
                    {"client_id":"an-client","secret":"an-client-secret-0001","api_id":"an-oauth","redirect_uri":"http://app.example/cb","policy_id":"an-oauth-pol"}"""))
                                    .build());
        } while (client.statusCode() != 200 && System.nanoTime() < deadline);
        assertEquals(200, client.statusCode(), client.body());
        var issued =
                RunningSuite.send(
                        HttpRequest.newBuilder(gateway(0, "/an-oauth/oauth/token"))
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString(
                                                                "an-client:an-client-secret-0001"
                                                                        .getBytes(
                                                                                StandardCharsets
                                                                                        .UTF_8)))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "grant_type=client_credentials"))
                                .build());
        assertEquals(200, issued.statusCode(), issued.body());
        token = JSON.readTree(issued.body()).path("access_token").asText();
        for (int node = 0; node < 3; node++) {
            HttpResponse<String> answer;
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            do {
                answer = get(node, "/an-oauth/warm", "Bearer " + token);
            } while (answer.statusCode() != 200 && System.nanoTime() < until);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(200, get(node, "/an-keyed/warm", key).statusCode());
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

    /** The warm-up requests of the setup: counted too, so every test starts from what is there. */
    private static Map<String, Long> hitsNow() throws Exception {
        Map<String, Long> hits = new ConcurrentHashMap<>();
        for (JsonNode unit :
                usage("/api/usage/apis/" + today() + "/" + today() + "?p=-1").path("data")) {
            hits.put(unit.path("id").path("api_id").asText(), unit.path("hits").asLong());
        }
        return hits;
    }

    @Test
    @Order(1)
    void theActivityAndUsageEndpointsAnswerExactlyTheRequestsSent() throws Exception {
        settled();
        Map<String, Long> before = hitsNow();
        JsonNode keyBefore =
                usage("/api/activity/keys/" + keyHash + "/" + today() + "/" + today() + "?p=-1");
        JsonNode clientBefore =
                usage("/api/activity/oauthid/an-client/" + today() + "/" + today() + "?p=-1");
        // the mix, spread over the three gateways
        int[][] counts = new int[1][1];
        Map<String, int[]> sent = new java.util.LinkedHashMap<>();
        String[][] mix = {
            // path, credential, expected code
            {"/an-keyless/tracked", "", "200"},
            {"/an-keyless/s/302", "", "302"},
            {"/an-keyless/s/404", "", "404"},
            {"/an-keyless/s/500", "", "500"},
            {"/an-keyed/tracked", "key", "200"},
            {"/an-keyed/s/503", "key", "503"},
            {"/an-keyed/tracked", "", "401"},
            {"/an-oauth/tracked", "token", "200"},
            {"/an-oauth/s/201", "token", "201"},
        };
        int[] times = {7, 3, 4, 2, 6, 2, 5, 4, 3};
        int node = 0;
        for (int m = 0; m < mix.length; m++) {
            for (int i = 0; i < times[m]; i++) {
                String credential =
                        switch (mix[m][1]) {
                            case "key" -> key;
                            case "token" -> "Bearer " + token;
                            default -> null;
                        };
                var response = get(node++ % 3, mix[m][0], credential);
                assertEquals(
                        Integer.parseInt(mix[m][2]),
                        response.statusCode(),
                        mix[m][0] + ": " + response.body());
            }
        }
        counts[0][0] = node;
        settled();
        Map<String, Long> after = hitsNow();
        assertEquals(
                7 + 3 + 4 + 2, after.get("an-keyless") - before.getOrDefault("an-keyless", 0L));
        assertEquals(6 + 2 + 5, after.get("an-keyed") - before.getOrDefault("an-keyed", 0L));
        assertEquals(4 + 3, after.get("an-oauth") - before.getOrDefault("an-oauth", 0L));

        JsonNode apis = usage("/api/usage/apis/" + today() + "/" + today() + "?p=-1");
        JsonNode keyless = unitOf(apis, "an-keyless", "");
        assertEquals("Keyless", keyless.path("id").path("api_name").asText());
        // warm-up requests were 200s: the errors are this test's, and a 302 is neither
        assertEquals(4 + 2, keyless.path("error").asLong(), keyless.toString());
        JsonNode keyed = unitOf(apis, "an-keyed", "");
        // the setup's warm-up: one 401 per gateway before the key existed
        assertEquals(2 + 5 + 3, keyed.path("error").asLong(), keyed.toString());

        // the key's and the client's tracked endpoints only
        JsonNode keyActivity =
                usage("/api/activity/keys/" + keyHash + "/" + today() + "/" + today() + "?p=-1");
        assertEquals(1, keyActivity.path("data").size(), keyActivity.toString());
        assertEquals("/tracked", keyActivity.path("data").get(0).path("id").path("path").asText());
        assertEquals(
                "an-keyed", keyActivity.path("data").get(0).path("id").path("api_id").asText());
        assertEquals(
                6,
                keyActivity.path("data").get(0).path("hits").asLong()
                        - hitsOf(keyBefore, "an-keyed", "/tracked"));
        JsonNode clientActivity =
                usage("/api/activity/oauthid/an-client/" + today() + "/" + today() + "?p=-1");
        assertEquals(
                4,
                hitsOf(clientActivity, "an-oauth", "/tracked")
                        - hitsOf(clientBefore, "an-oauth", "/tracked"),
                clientActivity.toString());
        assertEquals(
                1,
                clientActivity.path("data").size(),
                "the 201s are on an untracked endpoint: " + clientActivity);

        // a time series a chart can use: this hour holds them
        JsonNode hours =
                usage("/api/usage/apis/an-keyless/" + today() + "/" + today() + "?res=hour&p=-1");
        long inHours = 0;
        for (JsonNode unit : hours.path("data")) {
            inHours += unit.path("hits").asLong();
        }
        assertEquals(after.get("an-keyless"), inHours);
        System.out.printf(
                "[measure] analytics mix: %d requests over 3 gateways, counted exactly%n",
                counts[0][0]);
    }

    @Test
    @Order(2)
    void theAnalyticsPageShowsWhatTheEndpointsCount() throws Exception {
        settled();
        JsonNode apis = usage("/api/usage/apis/" + today() + "/" + today() + "?p=-1");
        // skipped with a message naming the package where chromium is absent
        var page = AnalyticsPageCheck.read(dashboard.url(), userKey);
        for (String apiId : List.of("an-keyless", "an-keyed", "an-oauth")) {
            JsonNode unit = unitOf(apis, apiId, "");
            var shown =
                    page.stream()
                            .filter(f -> f.apiId().equals(apiId))
                            .findFirst()
                            .orElseThrow(
                                    () -> new AssertionError(apiId + " not on the page: " + page));
            assertEquals(unit.path("hits").asLong(), shown.hits(), apiId);
            assertEquals(unit.path("error").asLong(), shown.errors(), apiId);
        }
    }

    @Test
    @Order(3)
    void theAggregatorKilledFiveTimesUnderLoadCountsEveryRequestOnce() throws Exception {
        settled();
        long before = hitsNow().getOrDefault("an-keyless", 0L);
        Random random = new Random(12);
        try (Load load = Load.start(4, "/an-keyless/tracked")) {
            for (int kill = 0; kill < 5; kill++) {
                // a random point of the load, counted in requests answered since the last kill
                load.awaitAnswers(300 + random.nextInt(1500), Duration.ofSeconds(60));
                ProcessHandle.of(dashboard.process().pid())
                        .ifPresent(ProcessHandle::destroyForcibly);
                dashboard.process().currentRunExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(dashboard.process().restart());
                dashboard.process().awaitHttpOk(dashboard.url().resolve("/q/health/ready"), START);
            }
            load.stopAndAwait();
            assertEquals(0, load.failures.sum(), "requests failed while the aggregator was killed");
            long stopped = System.nanoTime();
            settled();
            System.out.printf(
                    "[measure] aggregator caught up %d ms after the load stopped%n",
                    (System.nanoTime() - stopped) / 1_000_000);
            long counted = hitsNow().get("an-keyless") - before;
            long dropped = droppedByGateways();
            System.out.printf(
                    "[measure] aggregator killed 5 times under load: %d requests sent, %d counted, %d dropped by gateways%n",
                    load.ok.sum(), counted, dropped);
            assertEquals(0, dropped, "the broker was up: nothing to drop");
            assertEquals(load.ok.sum(), counted, "every request counted once, none lost");
        }
    }

    @Test
    @Order(4)
    void theBrokerStoppedForThirtySecondsUnderLoadCostsNoRequests() throws Exception {
        settled();
        long before = hitsNow().getOrDefault("an-keyless", 0L);
        long droppedBefore = droppedByGateways();
        try (Load load = Load.start(4, "/an-keyless/tracked")) {
            double baseline = load.rateOver(4000, Duration.ZERO, Duration.ofSeconds(60));
            long[] recordedAtStop = recordedByEachGateway();
            broker.stop();
            long down = System.nanoTime();
            // the broker stays down for OUTAGE at least, and until the load has been served what
            // the baseline rate serves in OUTAGE: a throughput that sinks keeps it down longer,
            // up to three times as long, and fails below
            double during =
                    load.rateOver(
                            (long) (baseline * OUTAGE.toSeconds()), OUTAGE, OUTAGE.multipliedBy(3));
            long downSeconds = (System.nanoTime() - down) / 1_000_000_000L;
            long[] recordedAtRestart = recordedByEachGateway();
            broker.restart();
            load.stopAndAwait();
            System.out.printf(
                    "[measure] broker stopped %d s under load: %.0f req/s before, %.0f req/s during (%.2fx); %d failures%n",
                    downSeconds, baseline, during, during / baseline, load.failures.sum());
            assertEquals(0, load.failures.sum(), "no request failed while the broker was down");
            assertTrue(during >= 0.75 * baseline, "throughput held: " + during + " vs " + baseline);
            settled();
            long counted = hitsNow().get("an-keyless") - before;
            long dropped = droppedByGateways() - droppedBefore;
            System.out.printf(
                    "[measure] after the outage: %d sent, %d counted, %d dropped and reported by the gateways%n",
                    load.ok.sum(), counted, dropped);
            long sent = load.ok.sum();
            assertTrue(counted <= sent, "counted " + counted + " of " + sent + ": none twice");
            assertTrue(
                    sent - counted <= dropped,
                    (sent - counted)
                            + " missing, "
                            + dropped
                            + " reported dropped: none lost"
                            + " unreported");
            long mostHeld = 0;
            for (int i = 0; i < recordedAtStop.length; i++) {
                mostHeld = Math.max(mostHeld, recordedAtRestart[i] - recordedAtStop[i]);
            }
            System.out.printf(
                    "[measure] the most one gateway recorded while the broker was down: %d%n",
                    mostHeld);
            if (mostHeld <= DEFAULT_BUFFER) {
                // what each gateway recorded during the outage fitted its queue: nothing dropped
                assertEquals(0, dropped, "the buffers rode out the outage");
                assertEquals(sent, counted, "every request counted once after the outage");
            }
        }
    }

    // ---- helpers

    /** Closed-loop load on the three gateways, counting answers and failures. */
    private static final class Load implements AutoCloseable {
        final LongAdder ok = new LongAdder();
        final LongAdder failures = new LongAdder();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();

        static Load start(int threads, String path) {
            Load load = new Load();
            for (int t = 0; t < threads; t++) {
                int first = t;
                Thread thread =
                        new Thread(
                                () -> {
                                    int n = first;
                                    while (load.running.get()) {
                                        try {
                                            var answer =
                                                    RunningSuite.HTTP.send(
                                                            HttpRequest.newBuilder(
                                                                            gateway(n++ % 3, path))
                                                                    .timeout(Duration.ofSeconds(5))
                                                                    .build(),
                                                            HttpResponse.BodyHandlers.discarding());
                                            if (answer.statusCode() == 200) {
                                                load.ok.increment();
                                            } else {
                                                load.failures.increment();
                                            }
                                        } catch (IOException e) {
                                            load.failures.increment();
                                        } catch (InterruptedException e) {
                                            return;
                                        }
                                    }
                                },
                                "analytics-load-" + t);
                thread.setDaemon(true);
                thread.start();
                load.threads.add(thread);
            }
            return load;
        }

        /** Waits until {@code more} further requests are answered; fails after {@code within}. */
        void awaitAnswers(long more, Duration within) {
            long target = ok.sum() + more;
            org.awaitility.Awaitility.await()
                    .atMost(within)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> ok.sum() >= target || failures.sum() > 0);
        }

        /**
         * Requests answered per second while the next {@code answers} are answered and at least
         * {@code atLeast} has passed, or over {@code within} when that takes longer (the load goes
         * on meanwhile).
         */
        double rateOver(long answers, Duration atLeast, Duration within) {
            long from = ok.sum();
            long started = System.nanoTime();
            try {
                org.awaitility.Awaitility.await()
                        .atMost(within)
                        .pollInterval(Duration.ofMillis(10))
                        .until(
                                () ->
                                        (ok.sum() - from >= answers || failures.sum() > 0)
                                                && System.nanoTime() - started
                                                        >= atLeast.toNanos());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // slower than asked: the rate says by how much
            }
            return (ok.sum() - from) / ((System.nanoTime() - started) / 1e9);
        }

        void stopAndAwait() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopAndAwait();
        }
    }

    /**
     * Waits until every gateway has handed everything it recorded to the broker (or dropped it) and
     * the aggregator has counted everything the broker holds.
     */
    private static void settled() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            boolean gatewaysDone = true;
            for (Suite.Service gateway : gateways) {
                JsonNode figures = gatewayAnalytics(gateway);
                long pending =
                        figures.path("recorded").asLong()
                                - figures.path("sent").asLong()
                                - figures.path("dropped").asLong();
                if (pending != 0 || figures.path("queued").asLong() != 0) {
                    gatewaysDone = false;
                    last = "gateway " + gateway.url() + " " + figures;
                }
            }
            if (gatewaysDone) {
                double lag = aggregatorLag();
                if (lag == 0) {
                    return;
                }
                last = "aggregator lag " + lag;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("analytics did not settle within 90 s: " + last);
    }

    /** One gateway's analytics figures: recorded, sent, dropped, queued. */
    private static JsonNode gatewayAnalytics(Suite.Service gateway) throws IOException {
        var response =
                RunningSuite.send(
                        RunningSuite.admin(gateway.url().resolve("/tyk/cluster")).GET().build());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("analytics");
    }

    private static long[] recordedByEachGateway() throws IOException {
        long[] recorded = new long[gateways.size()];
        for (int i = 0; i < recorded.length; i++) {
            recorded[i] = gatewayAnalytics(gateways.get(i)).path("recorded").asLong();
        }
        return recorded;
    }

    private static long droppedByGateways() throws IOException {
        long dropped = 0;
        for (Suite.Service gateway : gateways) {
            dropped += gatewayAnalytics(gateway).path("dropped").asLong();
        }
        return dropped;
    }

    private static double aggregatorLag() {
        try {
            var metrics =
                    RunningSuite.HTTP.send(
                            HttpRequest.newBuilder(dashboard.url().resolve("/q/metrics"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            for (String line : metrics.body().split("\n")) {
                if (line.startsWith("gatehouse_analytics_aggregator_lag")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return -1;
        } catch (IOException e) {
            return -1; // restarting
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode usage(String path) throws IOException {
        var response =
                RunningSuite.send(
                        HttpRequest.newBuilder(dashboard.url().resolve(path))
                                .header("authorization", userKey)
                                .timeout(Duration.ofSeconds(10))
                                .build());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode unitOf(JsonNode answer, String apiId, String path) {
        for (JsonNode unit : answer.path("data")) {
            if (unit.path("id").path("api_id").asText().equals(apiId)
                    && unit.path("id").path("path").asText().equals(path)) {
                return unit;
            }
        }
        throw new AssertionError("no unit for " + apiId + " " + path + " in " + answer);
    }

    private static long hitsOf(JsonNode answer, String apiId, String path) {
        for (JsonNode unit : answer.path("data")) {
            if (unit.path("id").path("api_id").asText().equals(apiId)
                    && unit.path("id").path("path").asText().equals(path)) {
                return unit.path("hits").asLong();
            }
        }
        return 0;
    }

    private static String today() {
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        return day.getDayOfMonth() + "/" + day.getMonthValue() + "/" + day.getYear();
    }

    private static URI gateway(int node, String path) {
        return gateways.get(node).url().resolve(path);
    }

    private static HttpResponse<String> get(int node, String path, String authorization) {
        var request = HttpRequest.newBuilder(gateway(node, path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return RunningSuite.send(request.build());
    }

    private static JsonNode create(String path, String body) throws IOException {
        var response =
                RunningSuite.send(
                        RunningSuite.admin(gateway(0, path))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode dashboardAdmin(String path, String body) throws IOException {
        var response =
                RunningSuite.send(
                        HttpRequest.newBuilder(dashboard.url().resolve(path))
                                .header("admin-auth", DASHBOARD_SECRET)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }
}
