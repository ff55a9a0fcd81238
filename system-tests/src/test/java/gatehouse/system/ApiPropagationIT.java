package gatehouse.system;

import static gatehouse.system.RunningSuite.admin;
import static gatehouse.system.RunningSuite.awaitStatus;
import static gatehouse.system.RunningSuite.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.local.Suite;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The walking skeleton end to end: Kafka and PostgreSQL, the four services as separate processes,
 * and a small upstream. A keyless API created through the gateway URL is proxied within 3 s of the
 * admin answer, and a restarted gateway rebuilds its routes from the topic alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiPropagationIT {

    private static RunningSuite running;
    private static Suite.Service gateway;

    @BeforeAll
    static void startTheSuite() {
        running = RunningSuite.start(1);
        gateway = running.gateways.get(0);
    }

    @AfterAll
    static void stopTheSuite() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    @Order(1)
    void aKeylessApiCreatedThroughTheGatewayIsProxiedWithinThreeSeconds() {
        // given
        String definition = running.keyless("it-live", "/it-live/");

        // when
        HttpResponse<String> created =
                send(
                        admin(gateway.url().resolve("/tyk/apis"))
                                .POST(HttpRequest.BodyPublishers.ofString(definition))
                                .build());
        long answered = System.nanoTime();

        // then
        assertEquals(200, created.statusCode(), created.body());
        assertEquals(
                "{\"key\":\"it-live\",\"status\":\"ok\",\"action\":\"added\"}\n", created.body());
        HttpResponse<String> proxied =
                awaitStatus(
                        gateway.url().resolve("/it-live/anything?x=1"),
                        200,
                        answered,
                        Duration.ofSeconds(3));
        System.out.println(
                "[measure] admin answer to live on the gateway (first API): "
                        + (System.nanoTime() - answered) / 1_000_000
                        + " ms");
        assertTrue(proxied.body().contains("\"path\":\"/anything\""), proxied.body());
        assertTrue(proxied.body().contains("\"query\":\"x=1\""), proxied.body());

        // and the secret is still required through the gateway
        HttpResponse<String> denied =
                send(
                        HttpRequest.newBuilder(gateway.url().resolve("/tyk/apis"))
                                .POST(HttpRequest.BodyPublishers.ofString(definition))
                                .build());
        assertEquals(403, denied.statusCode());
        assertEquals(
                "{\"status\":\"error\",\"message\":\"Attempted administrative access with invalid or missing key!\"}\n",
                denied.body());
    }

    @Test
    @Order(2)
    void aRestartedGatewayRebuildsItsRoutesFromTheTopicAlone() {
        // given an API that is live
        HttpResponse<String> created =
                send(
                        admin(gateway.url().resolve("/tyk/apis"))
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                running.keyless("it-restart", "/it-restart/")))
                                .build());
        assertEquals(200, created.statusCode(), created.body());
        awaitStatus(
                gateway.url().resolve("/it-restart/x"),
                200,
                System.nanoTime(),
                Duration.ofSeconds(3));

        // when admin-service is gone and the gateway restarts: only the topic can tell it about the
        // API
        running.owners.get(Suite.Owner.ADMIN).process().close();
        gateway.process().close();
        gateway = running.suite.startGateway(0, running.ownerUrls(), "/hello", RunningSuite.START);

        // then both APIs are served again
        long restarted = System.nanoTime();
        HttpResponse<String> proxied =
                awaitStatus(
                        gateway.url().resolve("/it-restart/x"),
                        200,
                        restarted,
                        Duration.ofSeconds(30));
        assertTrue(proxied.body().contains("\"path\":\"/x\""), proxied.body());
        assertEquals(
                200,
                send(HttpRequest.newBuilder(gateway.url().resolve("/it-live/y")).build())
                        .statusCode());
        System.out.println(
                "[measure] restarted gateway serving its routes after "
                        + (System.nanoTime() - restarted) / 1_000_000
                        + " ms past /hello");

        // and with admin-service down, a control call is a clear 503, not an auth error
        HttpResponse<String> unavailable = send(admin(gateway.url().resolve("/tyk/apis")).build());
        assertEquals(503, unavailable.statusCode(), unavailable.body());
        assertTrue(unavailable.body().contains("admin-service is unreachable"), unavailable.body());
    }
}
