package gatehouse.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.local.PostgresServer;
import gatehouse.local.Suite;
import gatehouse.testsupport.TestInfrastructure;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An owner's database goes away and comes back (a PostgreSQL of the test's own, stopped and started
 * again on its port and data): meanwhile every call is answered fast with a 503 in Tyk's envelope,
 * never a 500 or an auth error; afterwards the same process serves again, with what it stored
 * before.
 */
class DatabaseOutageIT {

    private static Path dataDir;
    private static int port;
    private static PostgresServer postgres;
    private static Suite suite;
    private static URI admin;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("gatehouse-outage-pg");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        postgres =
                PostgresServer.startEmbedded(
                        dataDir, false, port); // kept on close, for the restart
        Path root = Path.of(System.getProperty("gatehouse.root", ".."));
        Path logs = root.resolve("system-tests/target/service-logs/db-outage");
        Files.createDirectories(logs);
        suite =
                new Suite(
                        root,
                        logs,
                        TestInfrastructure.get().kafkaBootstrap(),
                        postgres,
                        RunningSuite.SECRET);
        admin =
                suite.startOwner(Suite.Owner.ADMIN, "gatehouse_outage_admin", RunningSuite.START)
                        .url();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (java.io.IOException e) {
                // a temporary folder: left for the system to clear
            }
        }
    }

    private static HttpResponse<String> create(String id) {
        return RunningSuite.send(
                RunningSuite.admin(admin.resolve("/tyk/apis"))
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        """
                                {"api_id":"%s","name":"%s","use_keyless":true,
                                 "proxy":{"listen_path":"/%s/","target_url":"http://u/"}}"""
                                                .formatted(id, id, id)))
                        .build());
    }

    @Test
    void aDatabaseOutageIsAFast503AndTheServiceRecoversWithoutARestart() {
        assertEquals(200, create("before-outage").statusCode());
        postgres.close();
        long started = System.nanoTime();
        var write = create("during-outage");
        var read =
                RunningSuite.send(
                        RunningSuite.admin(admin.resolve("/tyk/apis/before-outage")).build());
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(503, write.statusCode(), write.body());
        assertEquals(503, read.statusCode(), read.body());
        assertTrue(write.body().startsWith("{\"status\":\"error\",\"message\":"), write.body());
        assertTrue(millis < 10_000, "the outage must be answered fast, took " + millis + " ms");

        postgres = PostgresServer.startEmbedded(dataDir, false, port);
        long back = System.nanoTime();
        HttpResponse<String> again = null;
        long deadline = back + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            again = create("after-outage");
            if (again.statusCode() == 200) {
                break;
            }
        }
        long recovered = (System.nanoTime() - back) / 1_000_000;
        assertEquals(200, again.statusCode(), again.body());
        var kept =
                RunningSuite.send(
                        RunningSuite.admin(admin.resolve("/tyk/apis/before-outage")).build());
        assertEquals(200, kept.statusCode(), kept.body());
        assertEquals(
                404,
                RunningSuite.send(
                                RunningSuite.admin(admin.resolve("/tyk/apis/during-outage"))
                                        .build())
                        .statusCode(),
                "a refused write changed nothing");
        System.out.printf(
                "[measure] database outage: write and read answered 503 in %d ms; writes accepted again "
                        + "%d ms after the database returned, same process%n",
                millis, recovered);
    }
}
