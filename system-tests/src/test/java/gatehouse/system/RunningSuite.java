package gatehouse.system;

import gatehouse.local.Suite;
import gatehouse.testsupport.EchoUpstream;
import gatehouse.testsupport.TestInfrastructure;
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

/**
 * The suite as separate processes for an end-to-end test: the three owners on fresh databases, some
 * gateway nodes, and an echo upstream, on the test JVM's broker and PostgreSQL.
 */
final class RunningSuite implements AutoCloseable {

    static final String SECRET = "it-admin-secret";
    static final Duration START = Duration.ofSeconds(120);
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Suite suite;
    final EchoUpstream upstream;
    final Map<Suite.Owner, Suite.Service> owners = new EnumMap<>(Suite.Owner.class);
    final List<Suite.Service> gateways = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();
    final Map<Suite.Owner, String> databaseOf = new EnumMap<>(Suite.Owner.class);

    private RunningSuite(Suite suite, EchoUpstream upstream) {
        this.suite = suite;
        this.upstream = upstream;
    }

    /** Starts the owners and {@code gatewayCount} gateway nodes, each ready. */
    static RunningSuite start(int gatewayCount) {
        return start(gatewayCount, node -> Map.of());
    }

    /**
     * Starts the owners and {@code gatewayCount} gateway nodes, each with configuration of its own
     * on top of the suite's (say a TLS listener), each ready.
     */
    static RunningSuite start(
            int gatewayCount, java.util.function.IntFunction<Map<String, String>> settingsOf) {
        TestInfrastructure infra = TestInfrastructure.get();
        Path root = Path.of(System.getProperty("gatehouse.root", ".."));
        var running =
                new RunningSuite(
                        new Suite(
                                root,
                                root.resolve("system-tests/target/service-logs"),
                                infra.kafkaBootstrap(),
                                infra.postgres(),
                                SECRET),
                        EchoUpstream.start());
        try {
            for (Suite.Owner owner : Suite.Owner.values()) {
                String database = infra.freshDatabase("gatehouse_it_" + owner.name().toLowerCase());
                running.databases.add(database);
                running.databaseOf.put(owner, database);
                running.owners.put(owner, running.suite.startOwner(owner, database, START));
            }
            for (int i = 0; i < gatewayCount; i++) {
                running.gateways.add(
                        running.suite.startGateway(
                                0, running.ownerUrls(), "/ready", settingsOf.apply(i), START));
            }
            return running;
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
    }

    Map<Suite.Owner, URI> ownerUrls() {
        Map<Suite.Owner, URI> urls = new EnumMap<>(Suite.Owner.class);
        owners.forEach((owner, service) -> urls.put(owner, service.url()));
        return urls;
    }

    /** A keyless API definition proxying to the echo upstream, listen path stripped. */
    String keyless(String apiId, String listenPath) {
        return """
                {"api_id":"%s","name":"%s","org_id":"default","use_keyless":true,"active":true,
                 "proxy":{"listen_path":"%s","target_url":"%s/","strip_listen_path":true}}"""
                .formatted(apiId, apiId, listenPath, upstream.url());
    }

    static HttpRequest.Builder admin(URI url) {
        return HttpRequest.newBuilder(url)
                .header("x-tyk-authorization", SECRET)
                .timeout(Duration.ofSeconds(10));
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(
                    request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Polls until the status is seen or the deadline (counted from {@code since}) passes. */
    static HttpResponse<String> awaitStatus(URI url, int status, long since, Duration within) {
        long deadline = since + within.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            try {
                last =
                        HTTP.send(
                                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                                HttpResponse.BodyHandlers.ofString());
                if (last.statusCode() == status) {
                    return last;
                }
            } catch (IOException e) {
                // not answering yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new AssertionError(
                url
                        + " did not answer "
                        + status
                        + " within "
                        + within
                        + "; last answer "
                        + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    @Override
    public void close() {
        suite.close();
        upstream.close();
        databases.forEach(db -> TestInfrastructure.get().postgres().dropDatabase(db));
    }
}
