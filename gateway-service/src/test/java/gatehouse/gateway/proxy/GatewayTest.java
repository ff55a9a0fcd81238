package gatehouse.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import gatehouse.contracts.events.CloudEventCodec;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.gateway.EchoOwnersResource;
import gatehouse.gateway.state.StateReplicator;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class GatewayTest {

    private static final String SECRET = GatehouseTestResource.ADMIN_SECRET;
    private static KafkaProducer<String, String> producer;

    @Inject StateReplicator replicator;

    @BeforeAll
    static void producer() {
        producer =
                new KafkaProducer<>(
                        Map.<String, Object>of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                TestInfrastructure.get().kafkaBootstrap(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new StringSerializer());
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    private static String echoUrl() {
        return EchoOwnersResource.url();
    }

    private static void publish(String apiId, long version, String data) {
        var event =
                new EventEnvelope(
                        UUID.randomUUID().toString(),
                        "/test",
                        data == null ? EventTypes.API_DELETED : EventTypes.API_UPSERTED,
                        apiId,
                        Instant.now(),
                        "test",
                        "req",
                        version,
                        data);
        var record = new ProducerRecord<String, String>(Topics.APIS.name(), apiId, data);
        CloudEventCodec.headers(event).forEach((name, value) -> record.headers().add(name, value));
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String api(String apiId, String listenPath, String target, boolean strip) {
        return """
                {"api_id":"%s","name":"%s","use_keyless":true,"proxy":{"listen_path":"%s","target_url":"%s","strip_listen_path":%s}}"""
                .formatted(apiId, apiId, listenPath, target, strip);
    }

    @Test
    void helloAndReadyAnswerWithoutTheSecret() {
        given().get("/hello")
                .then()
                .statusCode(200)
                .body("status", equalTo("pass"))
                .body("description", equalTo("Tyk GW"));
        given().post("/hello")
                .then()
                .statusCode(405)
                .body(equalTo("{\"status\":\"error\",\"message\":\"Method Not Allowed\"}\n"));
        given().get("/ready").then().statusCode(200).body("description", equalTo("Tyk GW Ready"));
    }

    @Test
    void controlPathsAreForwardedToTheirOwnerOthersAreGuardedHere() {
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/apis/abc?x=1")
                .then()
                .statusCode(200)
                .header("X-Echo", "yes")
                .body("path", equalTo("/tyk/apis/abc"))
                .body("query", equalTo("x=1"))
                .body("headers.x-tyk-authorization", equalTo(SECRET))
                .body("headers.x-forwarded-for", equalTo("127.0.0.1"));
        given().body("{\"a\":1}")
                .post("/tyk/keys/create")
                .then()
                .statusCode(200)
                .body("method", equalTo("POST"))
                .body("body", equalTo("{\"a\":1}"));
        given().get("/tyk/nothing-here")
                .then()
                .statusCode(403)
                .body(
                        equalTo(
                                "{\"status\":\"error\",\"message\":\"Attempted administrative access with invalid or missing key!\"}\n"));
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/nothing-here")
                .then()
                .statusCode(404)
                .body(equalTo("404 page not found\n"));
    }

    @Test
    void anUnmatchedPathIsTyksPlainNotFound() {
        given().get("/no-api-listens-here").then().statusCode(404).body(equalTo("Not Found"));
    }

    @Test
    void anApiEventMakesTheRouteLiveAndATombstoneRemovesIt() {
        // given
        publish("gw-live", 1, api("gw-live", "/live/", echoUrl() + "/base/", true));
        // then it is proxied, listen path stripped, method, query and body forwarded
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                given().body("hello")
                                        .post("/live/anything?q=1")
                                        .then()
                                        .statusCode(200)
                                        .body("path", equalTo("/base/anything"))
                                        .body("query", equalTo("q=1"))
                                        .body("method", equalTo("POST"))
                                        .body("body", equalTo("hello")));
        given().get("/gw-live/via-id").then().statusCode(200).body("path", equalTo("/base/via-id"));

        // an older version arriving late changes nothing
        publish("gw-live", 1, api("gw-live", "/stale/", echoUrl(), false));
        publish("gw-live", 2, api("gw-live", "/live/", echoUrl(), false));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                given().get("/live/x")
                                        .then()
                                        .statusCode(200)
                                        .body("path", equalTo("/live/x")));
        given().get("/stale/x").then().statusCode(404);

        // when it is deleted
        publish("gw-live", 3, null);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                given().get("/live/x")
                                        .then()
                                        .statusCode(404)
                                        .body(equalTo("Not Found")));
    }

    @Test
    void aMalformedEventIsCountedAndSkippedAndUnloadsNothing() {
        publish("gw-kept", 1, api("gw-kept", "/kept/", echoUrl(), false));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> given().get("/kept/").then().statusCode(200));
        long before = replicator.malformedCount();

        publish("gw-kept", 2, "{this is not json");
        var bare =
                new ProducerRecord<String, String>(
                        Topics.APIS.name(), "gw-kept", "{}"); // no CloudEvent headers
        bare.headers().add("ce_specversion", "0.3".getBytes(StandardCharsets.UTF_8));
        producer.send(bare);
        producer.flush();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> replicator.malformedCount() >= before + 2);
        given().get("/kept/still").then().statusCode(200).body("path", equalTo("/kept/still"));
    }

    @Test
    void anUnreachableUpstreamGetsTyksProxyError() {
        publish("gw-down", 1, api("gw-down", "/down/", "http://127.0.0.1:9", true));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                given().get("/down/x")
                                        .then()
                                        .statusCode(500)
                                        .header("X-Generator", "tyk.io")
                                        .body(
                                                equalTo(
                                                        "{\n    \"error\": \"There was a problem proxying the request\"\n}")));
    }

    @Test
    void ipListsLoadBalancingAndTheApiRateLimitApplyPerApi() {
        publish(
                "gw-ip",
                1,
                """
                {"api_id":"gw-ip","use_keyless":true,"enable_ip_blacklisting":true,"blacklisted_ips":["127.0.0.0/8"],
                 "proxy":{"listen_path":"/ip/","target_url":"%s"}}"""
                        .formatted(echoUrl()));
        publish(
                "gw-lb",
                1,
                """
                {"api_id":"gw-lb","use_keyless":true,"proxy":{"listen_path":"/lb/","target_url":"%s","strip_listen_path":true,
                 "enable_load_balancing":true,"target_list":["%s/a/","%s/b/"]}}"""
                        .formatted(echoUrl(), echoUrl(), echoUrl()));
        publish(
                "gw-limited",
                1,
                """
                {"api_id":"gw-limited","use_keyless":true,"global_rate_limit":{"rate":3,"per":60},
                 "proxy":{"listen_path":"/limited/","target_url":"%s"}}"""
                        .formatted(echoUrl()));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> given().get("/limited/").then().statusCode(200));

        given().get("/ip/x")
                .then()
                .statusCode(403)
                .body(equalTo("{\n    \"error\": \"access from this IP has been disallowed\"\n}"));
        String first = given().get("/lb/x").then().statusCode(200).extract().path("path");
        String second = given().get("/lb/x").then().statusCode(200).extract().path("path");
        org.junit.jupiter.api.Assertions.assertEquals(
                java.util.Set.of("/a/x", "/b/x"), java.util.Set.of(first, second));
        // 3 per minute: one used above, two more, then refused
        given().get("/limited/").then().statusCode(200);
        given().get("/limited/").then().statusCode(200);
        given().get("/limited/")
                .then()
                .statusCode(429)
                .header("X-Generator", "tyk.io")
                .body(equalTo("{\n    \"error\": \"API Rate Limit Exceeded\"\n}"));
    }

    @Test
    void pathRulesRunBeforeAuthenticationAndIgnoredPathsSkipIt() {
        publish(
                "gw-rules",
                1,
                """
                {"api_id":"gw-rules","use_keyless":false,"proxy":{"listen_path":"/rules/","target_url":"%s","strip_listen_path":true},
                 "version_data":{"not_versioned":true,"versions":{"Default":{"name":"Default",
                   "paths":{"ignored":["/open"],"black_list":["/closed"]}}}}}"""
                        .formatted(echoUrl()));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                given().get("/rules/open")
                                        .then()
                                        .statusCode(200)
                                        .body("path", equalTo("/open")));
        given().get("/rules/closed")
                .then()
                .statusCode(403)
                .body(equalTo("{\n    \"error\": \"Requested endpoint is forbidden\"\n}"));
        given().get("/rules/other")
                .then()
                .statusCode(401)
                .body(containsString("Authorization field missing"));
    }

    @Test
    void corsPreflightsAreAnsweredByTheGatewayAndActualRequestsCarryTheHeaders() {
        publish(
                "gw-cors",
                1,
                """
                {"api_id":"gw-cors","use_keyless":true,"proxy":{"listen_path":"/cors/","target_url":"%s"},
                 "CORS":{"enable":true,"allowed_origins":["https://*.example.com"],"allowed_methods":["GET","PUT"],
                         "allowed_headers":["Authorization"],"exposed_headers":["X-Echo"],"max_age":600}}"""
                        .formatted(echoUrl()));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> given().get("/cors/").then().statusCode(200));
        given().header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/cors/x")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "https://app.example.com")
                .header("Access-Control-Allow-Methods", "PUT")
                .header("Access-Control-Max-Age", "600")
                .header("X-Echo", org.hamcrest.Matchers.nullValue());
        given().header("Origin", "https://evil.test")
                .header("Access-Control-Request-Method", "PUT")
                .options("/cors/x")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
        given().header("Origin", "https://app.example.com")
                .get("/cors/x")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "https://app.example.com")
                .header("Access-Control-Expose-Headers", "X-Echo")
                .header("X-Echo", "yes");
    }

    @Test
    void aSilentUpstreamIsAHardTimeoutAndAnUnknownHostALookupFailure() throws Exception {
        // an upstream that accepts connections and never answers
        try (var silent =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            var held = new java.util.concurrent.CopyOnWriteArrayList<java.net.Socket>();
            Thread acceptor =
                    new Thread(
                            () -> {
                                try {
                                    while (true) {
                                        held.add(silent.accept());
                                    }
                                } catch (java.io.IOException closed) {
                                    // test over
                                }
                            });
            acceptor.setDaemon(true);
            acceptor.start();
            publish(
                    "gw-silent",
                    1,
                    api(
                            "gw-silent",
                            "/silent/",
                            "http://127.0.0.1:" + silent.getLocalPort(),
                            true));
            publish(
                    "gw-nohost",
                    1,
                    api("gw-nohost", "/nohost/", "http://no-such-host.invalid", true));
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(
                            () ->
                                    given().get("/nohost/x")
                                            .then()
                                            .statusCode(500)
                                            .body(
                                                    equalTo(
                                                            "{\n    \"error\": \"Upstream host lookup failed\"\n}")));
            given().get("/silent/x")
                    .then()
                    .statusCode(504)
                    .body(
                            equalTo(
                                    "{\n    \"error\": \"Upstream service reached hard timeout.\"\n}"));
            for (var socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aKeyedApiRefusesRequestsWithTyksTexts() {
        publish(
                "gw-keyed",
                1,
                """
                {"api_id":"gw-keyed","use_keyless":false,"proxy":{"listen_path":"/keyed/","target_url":"%s"}}"""
                        .formatted(echoUrl()));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                given().get("/keyed/x")
                                        .then()
                                        .statusCode(401)
                                        .body(containsString("Authorization field missing")));
        given().header("Authorization", "unknown-key")
                .get("/keyed/x")
                .then()
                .statusCode(403)
                .body(startsWith("{\n    \"error\": \"Access to this API has been disallowed\""));
    }
}
