package gatehouse.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.gateway.EchoOwnersResource;
import gatehouse.gateway.TestApis;
import gatehouse.testsupport.GatehouseTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that goes away while the upstream is still sending its body: the gateway stops the
 * upstream exchange (its connection closes) instead of writing the rest to a closed response, and
 * goes on serving.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class ClientGoneMidResponseTest {

    private static final Buffer CHUNK = Buffer.buffer("x".repeat(1024));

    private static Vertx vertx;
    private static HttpServer upstream;
    private static volatile CompletableFuture<Void> upstreamClosed = new CompletableFuture<>();

    @BeforeAll
    static void startUpstream() throws Exception {
        vertx = Vertx.vertx();
        // an endless body: a chunk every 5 ms until the connection closes
        upstream =
                vertx.createHttpServer()
                        .requestHandler(
                                request -> {
                                    var response = request.response().setChunked(true);
                                    long timer =
                                            vertx.setPeriodic(
                                                    5,
                                                    tick -> {
                                                        if (!response.closed()) {
                                                            response.write(CHUNK);
                                                        }
                                                    });
                                    response.closeHandler(
                                            closed -> {
                                                vertx.cancelTimer(timer);
                                                upstreamClosed.complete(null);
                                            });
                                })
                        .listen(0, "127.0.0.1")
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
        TestApis.publish(
                Map.of(
                        "gone-mid",
                        """
                        {"api_id":"gone-mid","use_keyless":true,
                         "proxy":{"listen_path":"/gone-mid/","target_url":"http://127.0.0.1:%d"}}"""
                                .formatted(upstream.actualPort())));
    }

    @AfterAll
    static void stopUpstream() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theUpstreamExchangeStopsWhenTheClientGoesAway() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String head;
        do {
            upstreamClosed = new CompletableFuture<>();
            head = readHeadAndClose();
        } while (!head.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline);
        assertTrue(head.startsWith("HTTP/1.1 200"), "the stream was served: " + head);
        // the client is gone: the gateway lets go of the upstream too, within a deadline
        upstreamClosed.get(5, TimeUnit.SECONDS);
        // and goes on serving
        assertEquals(200, RestAssured.given().get("/hello").statusCode());
    }

    /** Requests the endless stream, reads its head and a few chunks, and hangs up. */
    private static String readHeadAndClose() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(
                    "GET /gone-mid/stream HTTP/1.1\r\nHost: gateway\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            StringBuilder received = new StringBuilder();
            while (received.length() < 4096) {
                int read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                received.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                if (!received.toString().startsWith("HTTP/1.1 200")
                        && received.indexOf("\r\n\r\n") >= 0) {
                    break; // not (yet) the stream: a 404 while the API is on its way
                }
            }
            return received.toString();
        }
    }
}
