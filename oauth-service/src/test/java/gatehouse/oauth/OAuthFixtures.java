package gatehouse.oauth;

import static io.restassured.RestAssured.given;

import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TopicRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.awaitility.Awaitility;

/** The APIs and policies oauth-service tests need, published as admin-service would. */
final class OAuthFixtures {

    static final String LOGIN = "http://login.example/login";

    /** What the API's oauth_on_keychange_url received: shared secret header + body. */
    static final java.util.concurrent.BlockingQueue<String> NOTIFICATIONS =
            new java.util.concurrent.LinkedBlockingQueue<>();

    private static boolean published;
    private static com.sun.net.httpserver.HttpServer notificationReceiver;

    private static String startNotificationReceiver() {
        try {
            notificationReceiver =
                    com.sun.net.httpserver.HttpServer.create(
                            new java.net.InetSocketAddress(
                                    java.net.InetAddress.getLoopbackAddress(), 0),
                            16);
            notificationReceiver.createContext(
                    "/keychange",
                    exchange -> {
                        NOTIFICATIONS.add(
                                exchange.getRequestHeaders().getFirst("X-Tyk-Shared-Secret")
                                        + " "
                                        + new String(
                                                exchange.getRequestBody().readAllBytes(),
                                                java.nio.charset.StandardCharsets.UTF_8));
                        exchange.sendResponseHeaders(200, -1);
                        exchange.close();
                    });
            notificationReceiver.start();
            return "http://127.0.0.1:" + notificationReceiver.getAddress().getPort() + "/keychange";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private OAuthFixtures() {}

    private static void publish(String topic, String type, String id, String document) {
        TopicRecords.publish(
                topic,
                new EventEnvelope(
                        UUID.randomUUID().toString(),
                        "/gatehouse/admin-service",
                        type,
                        id,
                        Instant.now(),
                        "test",
                        "test",
                        System.currentTimeMillis(),
                        document.replace("\n", "")));
    }

    /** Publishes once per JVM and waits until oauth-service knows them. */
    static synchronized void publishOnce() {
        if (published) {
            return;
        }
        publish(
                Topics.APIS.name(),
                EventTypes.API_UPSERTED,
                "oauth-api-1",
                """
                {"api_id":"oauth-api-1","name":"OAuth API","org_id":"org1","use_oauth2":true,
                 "oauth_meta":{"allowed_access_types":["authorization_code","refresh_token","client_credentials","password"],
                               "allowed_authorize_types":["code","token"],"auth_login_redirect":"%s"},
                 "notifications":{"shared_secret":"shh","oauth_on_keychange_url":"%s"},
                 "proxy":{"listen_path":"/oauth-api-1/","target_url":"http://127.0.0.1:9/"}}"""
                        .formatted(LOGIN, startNotificationReceiver()));
        publish(
                Topics.APIS.name(),
                EventTypes.API_UPSERTED,
                "plain-api",
                """
                {"api_id":"plain-api","name":"Plain","org_id":"org1","proxy":{"listen_path":"/plain/","target_url":"http://127.0.0.1:9/"}}""");
        publish(
                Topics.POLICIES.name(),
                EventTypes.POLICY_UPSERTED,
                "oauth-pol",
                """
                {"id":"oauth-pol","org_id":"org1","rate":100,"per":1,"access_rights":{"oauth-api-1":{"api_id":"oauth-api-1","versions":["Default"]}}}""");
        publish(
                Topics.POLICIES.name(),
                EventTypes.POLICY_UPSERTED,
                "plain-pol",
                """
                {"id":"plain-pol","org_id":"org1","access_rights":{"plain-api":{"api_id":"plain-api","versions":["Default"]}}}""");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                given().header(
                                                                "x-tyk-authorization",
                                                                GatehouseTestResource.ADMIN_SECRET)
                                                        .get("/tyk/oauth/clients/oauth-api-1")
                                                        .statusCode()
                                                == 200
                                        && given().header(
                                                        "x-tyk-authorization",
                                                        GatehouseTestResource.ADMIN_SECRET)
                                                .body(
                                                        "{\"policy_id\":\"plain-pol\",\"redirect_uri\":\"http://x/\"}")
                                                .post("/tyk/oauth/clients/create")
                                                .asString()
                                                .contains("API is not OAuth2"));
        published = true;
    }
}
