package gatehouse.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import gatehouse.local.Suite;
import gatehouse.testsupport.EchoUpstream;
import gatehouse.testsupport.TestInfrastructure;

/**
 * The walking skeleton end to end: Kafka and PostgreSQL, the four services as separate processes, and
 * a small upstream. A keyless API created through the gateway URL is proxied within 3 s of the admin
 * answer, and a restarted gateway rebuilds its routes from the topic alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiPropagationIT {

    private static final String SECRET = "it-admin-secret";
    private static final Duration START = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static Suite suite;
    private static EchoUpstream upstream;
    private static final Map<Suite.Owner, Suite.Service> owners = new EnumMap<>(Suite.Owner.class);
    private static final List<String> databases = new ArrayList<>();
    private static Suite.Service gateway;

    @BeforeAll
    static void startTheSuite() {
        TestInfrastructure infra = TestInfrastructure.get();
        Path root = Path.of(System.getProperty("gatehouse.root", ".."));
        upstream = EchoUpstream.start();
        suite = new Suite(root, root.resolve("system-tests/target/service-logs"), infra.kafkaBootstrap(),
                infra.postgres(), SECRET);
        for (Suite.Owner owner : Suite.Owner.values()) {
            String database = infra.freshDatabase("gatehouse_it_" + owner.name().toLowerCase());
            databases.add(database);
            owners.put(owner, suite.startOwner(owner, database, START));
        }
        gateway = suite.startGateway(0, ownerUrls(), START);
    }

    @AfterAll
    static void stopTheSuite() {
        if (suite != null) {
            suite.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        databases.forEach(db -> TestInfrastructure.get().postgres().dropDatabase(db));
    }

    private static Map<Suite.Owner, URI> ownerUrls() {
        Map<Suite.Owner, URI> urls = new EnumMap<>(Suite.Owner.class);
        owners.forEach((owner, service) -> urls.put(owner, service.url()));
        return urls;
    }

    @Test
    @Order(1)
    void aKeylessApiCreatedThroughTheGatewayIsProxiedWithinThreeSeconds() throws Exception {
        // given
        String definition = keyless("it-live", "/it-live/");

        // when
        HttpResponse<String> created = send(HttpRequest.newBuilder(gateway.url().resolve("/tyk/apis"))
                .header("x-tyk-authorization", SECRET).POST(HttpRequest.BodyPublishers.ofString(definition)).build());
        long answered = System.nanoTime();

        // then
        assertEquals(200, created.statusCode(), created.body());
        assertEquals("{\"key\":\"it-live\",\"status\":\"ok\",\"action\":\"added\"}\n", created.body());
        HttpResponse<String> proxied = awaitStatus(gateway.url().resolve("/it-live/anything?x=1"), 200, answered,
                Duration.ofSeconds(3));
        long delayMillis = (System.nanoTime() - answered) / 1_000_000;
        System.out.println("[measure] admin answer to live on the gateway: " + delayMillis + " ms");
        assertTrue(proxied.body().contains("\"path\":\"/anything\""), proxied.body());
        assertTrue(proxied.body().contains("\"query\":\"x=1\""), proxied.body());

        // and the secret is still required through the gateway
        HttpResponse<String> denied = send(HttpRequest.newBuilder(gateway.url().resolve("/tyk/apis"))
                .POST(HttpRequest.BodyPublishers.ofString(definition)).build());
        assertEquals(403, denied.statusCode());
        assertEquals("{\"status\":\"error\",\"message\":\"Attempted administrative access with invalid or missing key!\"}\n",
                denied.body());
    }

    @Test
    @Order(2)
    void aRestartedGatewayRebuildsItsRoutesFromTheTopicAlone() throws Exception {
        // given an API that is live
        HttpResponse<String> created = send(HttpRequest.newBuilder(gateway.url().resolve("/tyk/apis"))
                .header("x-tyk-authorization", SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(keyless("it-restart", "/it-restart/"))).build());
        assertEquals(200, created.statusCode(), created.body());
        awaitStatus(gateway.url().resolve("/it-restart/x"), 200, System.nanoTime(), Duration.ofSeconds(3));

        // when admin-service is gone and the gateway restarts: only the topic can tell it about the API
        owners.get(Suite.Owner.ADMIN).process().close();
        gateway.process().close();
        gateway = suite.startGateway(0, ownerUrls(), "/hello", START);

        // then both APIs are served again
        long restarted = System.nanoTime();
        HttpResponse<String> proxied = awaitStatus(gateway.url().resolve("/it-restart/x"), 200, restarted,
                Duration.ofSeconds(30));
        assertTrue(proxied.body().contains("\"path\":\"/x\""), proxied.body());
        assertEquals(200, send(HttpRequest.newBuilder(gateway.url().resolve("/it-live/y")).build()).statusCode());
        System.out.println("[measure] restarted gateway serving its routes after "
                + (System.nanoTime() - restarted) / 1_000_000 + " ms past /hello");

        // and with admin-service down, a control call is a clear 503, not an auth error
        HttpResponse<String> unavailable = send(HttpRequest.newBuilder(gateway.url().resolve("/tyk/apis"))
                .header("x-tyk-authorization", SECRET).build());
        assertEquals(503, unavailable.statusCode(), unavailable.body());
        assertTrue(unavailable.body().contains("admin-service is unreachable"), unavailable.body());
    }

    private static String keyless(String apiId, String listenPath) {
        return """
                {"api_id":"%s","name":"%s","org_id":"default","use_keyless":true,"active":true,
                 "proxy":{"listen_path":"%s","target_url":"%s/","strip_listen_path":true}}"""
                .formatted(apiId, apiId, listenPath, upstream.url());
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Polls until the status is seen or the deadline (counted from {@code since}) passes. */
    private static HttpResponse<String> awaitStatus(URI url, int status, long since, Duration within)
            throws IOException, InterruptedException {
        long deadline = since + within.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build());
            if (last.statusCode() == status) {
                return last;
            }
        }
        throw new AssertionError(url + " did not answer " + status + " within " + within + "; last answer "
                + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }
}
