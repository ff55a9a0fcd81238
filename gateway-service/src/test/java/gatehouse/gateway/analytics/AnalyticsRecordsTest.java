package gatehouse.gateway.analytics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.analytics.AnalyticsBatch;
import gatehouse.contracts.analytics.AnalyticsRecord;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.gateway.EchoOwnersResource;
import gatehouse.gateway.KeysOwnerStub;
import gatehouse.gateway.state.NodeIdentity;
import gatehouse.gateway.state.RoutingTableHolder;
import gatehouse.testsupport.EchoUpstream;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TopicRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests through the real gateway become records on the real {@code gatehouse.analytics} topic:
 * one per request an API serves (proxied or refused), with the key's hash and never the raw key,
 * the tracked endpoint's pattern, the tag headers and the latencies (issue 12).
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class AnalyticsRecordsTest {

    private static final String RAW_KEY = "analytics-raw-key-0001";
    private static final String KEY_HASH = "kh-analytics-0001";
    private static final String TOKEN = "analytics-token-0001";

    /** Each request of the test names itself in its User-Agent, to find its record. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static EchoUpstream failing;

    @Inject RoutingTableHolder tables;

    @Inject NodeIdentity node;

    @Inject MeterRegistry meters;

    @BeforeAll
    static void failingUpstream() {
        failing =
                EchoUpstream.start(
                        Map.of(
                                "/an-failing/broken",
                                exchange -> {
                                    exchange.sendResponseHeaders(503, -1);
                                    exchange.close();
                                }));
    }

    @AfterAll
    static void stopFailingUpstream() {
        failing.close();
    }

    private static String tracked(String path) {
        return """
                "version_data":{"not_versioned":true,"versions":{"Default":{"name":"Default",
                 "use_extended_paths":true,"extended_paths":{
                   "track_endpoints":[{"path":"%s","method":"GET"}],
                   "do_not_track_endpoints":[{"path":"/health","method":"GET"}]}}}},"""
                .formatted(path);
    }

    private static String api(String id, String extra, String target) {
        return """
                {"api_id":"%s","name":"Analytics %s","org_id":"org-an",%s
                 "proxy":{"listen_path":"/%s/","target_url":"%s"}}"""
                .formatted(id, id, extra, id, target)
                .replace("\n", "");
    }

    private static Map<String, String> apis() {
        String echo = EchoOwnersResource.url();
        return Map.of(
                "an-open",
                        api(
                                "an-open",
                                "\"use_keyless\":true,\"tag_headers\":[\"X-Team\"],"
                                        + tracked("/orders/{id}"),
                                echo),
                "an-keyed",
                        api("an-keyed", "\"use_keyless\":false," + tracked("/orders/{id}"), echo),
                "an-oauth", api("an-oauth", "\"use_keyless\":false,\"use_oauth2\":true,", echo),
                "an-failing", api("an-failing", "\"use_keyless\":true,", failing.url()),
                "an-silent", api("an-silent", "\"use_keyless\":true,\"do_not_track\":true,", echo));
    }

    private static boolean published;

    @BeforeEach
    void publishApisAndKeysOnce() {
        if (!published) {
            publishApisAndKeys();
            published = true;
        }
    }

    private void publishApisAndKeys() {
        for (var api : apis().entrySet()) {
            TopicRecords.publish(
                    Topics.APIS.name(),
                    new EventEnvelope(
                            UUID.randomUUID().toString(),
                            "/test",
                            EventTypes.API_UPSERTED,
                            api.getKey(),
                            Instant.now(),
                            "test",
                            null,
                            System.currentTimeMillis(),
                            api.getValue()));
        }
        // as keys-service publishes a key: its Tyk key_hash beside the session, never the raw key
        TopicRecords.publish(
                Topics.KEYS.name(),
                new EventEnvelope(
                        UUID.randomUUID().toString(),
                        "/gatehouse/keys-service",
                        EventTypes.KEY_UPSERTED,
                        KeysOwnerStub.DIGEST.of(RAW_KEY),
                        Instant.now(),
                        "test",
                        "test",
                        System.currentTimeMillis(),
                        """
                        {"key_hash":"%s","session":{"org_id":"org-an","alias":"the-shop",
                         "tags":["gold"],"access_rights":{"an-keyed":{"api_id":"an-keyed",
                         "versions":["Default"]}}},"quotas":{}}"""
                                .formatted(KEY_HASH)
                                .replace("\n", "")));
        KeysOwnerStub.publishToken(
                TOKEN,
                """
                {"org_id":"org-an","oauth_client_id":"client-an",
                 "access_rights":{"an-oauth":{"api_id":"an-oauth","versions":["Default"]}}}""");
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                apis().keySet().stream()
                                                .allMatch(id -> tables.current().api(id) != null)
                                        && given().header("Authorization", RAW_KEY)
                                                        .get("/an-keyed/ready")
                                                        .statusCode()
                                                == 200
                                        && given().header("Authorization", "Bearer " + TOKEN)
                                                        .get("/an-oauth/ready")
                                                        .statusCode()
                                                == 200);
    }

    private static int send(String name, String path, Map<String, String> headers) {
        return given().header("User-Agent", agent(name)).headers(headers).get(path).statusCode();
    }

    private static String agent(String name) {
        return "analytics-test-" + RUN + "-" + name;
    }

    private static List<ConsumerRecord<String, String>> topic() {
        return TopicRecords.all(Topics.ANALYTICS.name());
    }

    /** This run's records by the name in their User-Agent. */
    private static Map<String, List<AnalyticsRecord>> records(
            List<ConsumerRecord<String, String>> topic) {
        String prefix = agent("");
        return topic.stream()
                .flatMap(
                        r ->
                                AnalyticsBatch.decode(r.value().getBytes(StandardCharsets.UTF_8))
                                        .stream())
                .filter(r -> r.userAgent().startsWith(prefix))
                .collect(Collectors.groupingBy(r -> r.userAgent().substring(prefix.length())));
    }

    @Test
    void eachRequestAnApiServesGivesOneRecord() {
        // not recorded: an API with do_not_track, an untracked endpoint, no API at all
        assertEquals(200, send("silent", "/an-silent/x", Map.of()));
        assertEquals(200, send("untracked", "/an-open/health", Map.of()));
        assertEquals(404, send("no-api", "/an-nowhere/x", Map.of()));
        // recorded
        assertEquals(200, send("tracked", "/an-open/orders/42", Map.of("X-Team", "blue")));
        assertEquals(200, send("plain", "/an-open/items?page=2", Map.of()));
        assertEquals(200, send("keyed", "/an-keyed/orders/7", Map.of("Authorization", RAW_KEY)));
        assertEquals(401, send("no-key", "/an-keyed/x", Map.of()));
        assertEquals(
                403, send("unknown-key", "/an-keyed/x", Map.of("Authorization", "no-such-key-1")));
        assertEquals(200, send("oauth", "/an-oauth/x", Map.of("Authorization", "Bearer " + TOKEN)));
        assertEquals(503, send("upstream-5xx", "/an-failing/broken", Map.of()));
        List<String> expected =
                List.of(
                        "tracked",
                        "plain",
                        "keyed",
                        "no-key",
                        "unknown-key",
                        "oauth",
                        "upstream-5xx");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> records(topic()).keySet().containsAll(expected));
        List<ConsumerRecord<String, String>> topic = topic();
        var byName = records(topic);
        assertEquals(
                new java.util.TreeSet<>(expected),
                new java.util.TreeSet<>(byName.keySet()),
                "the requests that give a record, and only they");
        byName.forEach((name, records) -> assertEquals(1, records.size(), name + ": " + records));

        var tracked = byName.get("tracked").get(0);
        assertEquals("an-open", tracked.apiId());
        assertEquals("org-an", tracked.orgId());
        assertEquals("Analytics an-open", tracked.apiName());
        assertEquals("GET", tracked.method());
        assertEquals(200, tracked.responseCode());
        assertTrue(tracked.trackPath());
        assertEquals("/orders/{id}", tracked.path());
        assertEquals("/an-open/orders/42", tracked.rawPath());
        assertEquals(List.of("x-team-blue"), tracked.tags());
        assertEquals("", tracked.apiKey());
        assertTrue(tracked.network().bytesOut() > 0);
        assertFalse(tracked.ipAddress().isEmpty());

        var plain = byName.get("plain").get(0);
        assertFalse(plain.trackPath());
        assertEquals("/items", plain.path());
        assertEquals(List.of(), plain.tags());

        var keyed = byName.get("keyed").get(0);
        assertEquals("an-keyed", keyed.apiId());
        assertEquals(KEY_HASH, keyed.apiKey());
        assertEquals("the-shop", keyed.alias());
        assertEquals(List.of("gold"), keyed.tags());
        assertTrue(keyed.trackPath());
        assertEquals("/orders/{id}", keyed.path());

        for (String refused : List.of("no-key", "unknown-key")) {
            var record = byName.get(refused).get(0);
            assertEquals("an-keyed", record.apiId());
            assertEquals("", record.apiKey(), refused);
            assertEquals(0, record.latency().upstream(), refused + ": never sent upstream");
        }
        assertEquals(401, byName.get("no-key").get(0).responseCode());
        assertEquals(403, byName.get("unknown-key").get(0).responseCode());

        var oauth = byName.get("oauth").get(0);
        assertEquals("client-an", oauth.oauthId());

        var failed = byName.get("upstream-5xx").get(0);
        assertEquals("an-failing", failed.apiId());
        assertEquals(503, failed.responseCode());

        for (String proxied : List.of("tracked", "plain", "keyed", "oauth", "upstream-5xx")) {
            var record = byName.get(proxied).get(0);
            assertTrue(record.latency().upstream() > 0, proxied + ": " + record.latency());
        }
        byName.values().stream()
                .flatMap(List::stream)
                .forEach(
                        record -> {
                            assertTrue(record.requestTime() > 0, record.toString());
                            assertTrue(record.latency().total() >= record.latency().upstream());
                        });

        // the Kafka record: keyed by API, one API per batch, CloudEvents-style headers, no raw key
        List<String> apiIds = new ArrayList<>();
        for (var record : topic) {
            assertFalse(record.value().contains(RAW_KEY), "the raw key is never published");
            assertFalse(record.value().contains(TOKEN), "the raw token is never published");
            assertEquals("gatehouse.analytics.batch", TopicRecords.header(record, "ce_type"));
            var batch = AnalyticsBatch.decode(record.value().getBytes(StandardCharsets.UTF_8));
            batch.forEach(r -> assertEquals(record.key(), r.apiId()));
            apiIds.add(record.key());
        }
        assertTrue(apiIds.contains("an-keyed"));
        assertFalse(apiIds.contains("an-silent"), "do_not_track gives no record");
    }

    @Test
    void theCountsShowInTheClusterStatusAndAsMetrics() {
        assertEquals(200, send("count", "/an-open/count", Map.of()));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                given().header(
                                                "x-tyk-authorization",
                                                GatehouseTestResource.ADMIN_SECRET)
                                        .get("/tyk/cluster")
                                        .then()
                                        .statusCode(200)
                                        .body("analytics.node_id", equalTo(node.id()))
                                        .body("analytics.recorded", greaterThanOrEqualTo(1))
                                        .body("analytics.sent", greaterThanOrEqualTo(1))
                                        .body("analytics.dropped", equalTo(0))
                                        .body("analytics.queued", greaterThanOrEqualTo(0)));
        assertTrue(meters.get("gatehouse.analytics.records.sent").functionCounter().count() >= 1);
        assertTrue(
                meters.get("gatehouse.analytics.records.recorded").functionCounter().count() >= 1);
        assertEquals(
                0,
                meters.get("gatehouse.analytics.records.dropped")
                        .tag("reason", "buffer-full")
                        .functionCounter()
                        .count());
    }
}
