package gatehouse.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.CompletableFuture;

/**
 * The upstream every target forwards to: one event loop answering any request with the same 43-byte
 * JSON, so what is measured is the proxy in front of it. Run as its own process, pinned apart from
 * the proxy under test.
 */
public final class TinyUpstream {

    /** What the upstream answers: 43 bytes of JSON. */
    static final Buffer BODY =
            Buffer.buffer("{\"status\":\"ok\",\"from\":\"upstream\",\"n\":12345}");

    private TinyUpstream() {}

    /** {@code TinyUpstream <port>}: serves until killed. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        CompletableFuture<Void> listening = new CompletableFuture<>();
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(0))
                .requestHandler(
                        request ->
                                request.response()
                                        .putHeader("Content-Type", "application/json")
                                        .end(BODY))
                .listen(port, "127.0.0.1")
                .onComplete(
                        bound -> {
                            if (bound.succeeded()) {
                                listening.complete(null);
                            } else {
                                listening.completeExceptionally(bound.cause());
                            }
                        });
        listening.get();
        System.out.println("upstream listening on " + port);
    }
}
