package gatehouse.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The "same runtime, no features" reference: a reverse proxy written by hand on Vert.x's {@code
 * HttpClient}, one event loop, keep-alive to the upstream, end-to-end headers copied both ways and
 * bodies streamed. No routing, auth, limits or metrics: what the gateway costs beyond it is the
 * cost of its features and layers.
 */
public final class PlainProxy {

    /** Hop-by-hop headers a proxy does not forward (RFC 9110 7.6.1). */
    private static final Set<String> HOP_BY_HOP =
            Set.of(
                    "connection",
                    "keep-alive",
                    "proxy-connection",
                    "te",
                    "trailer",
                    "transfer-encoding",
                    "upgrade",
                    "host");

    private PlainProxy() {}

    /** {@code PlainProxy <port> <upstreamPort>}: serves until killed. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient client =
                vertx.createHttpClient(
                        new HttpClientOptions()
                                .setKeepAlive(true)
                                .setTcpNoDelay(true)
                                .setDefaultHost("127.0.0.1")
                                .setDefaultPort(upstreamPort),
                        new PoolOptions().setHttp1MaxSize(256));
        CompletableFuture<Void> listening = new CompletableFuture<>();
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                .requestHandler(request -> forward(client, request))
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
        System.out.println("plain proxy listening on " + port + " for upstream " + upstreamPort);
    }

    private static void forward(HttpClient client, HttpServerRequest request) {
        request.pause();
        RequestOptions options =
                new RequestOptions().setMethod(request.method()).setURI(request.uri());
        client.request(options)
                .onFailure(failure -> badGateway(request))
                .onSuccess(
                        upstream -> {
                            copy(request.headers(), upstream.headers());
                            upstream.response()
                                    .onFailure(failure -> badGateway(request))
                                    .onSuccess(
                                            answer -> {
                                                var response =
                                                        request.response()
                                                                .setStatusCode(answer.statusCode());
                                                copy(answer.headers(), response.headers());
                                                answer.pipeTo(response);
                                            });
                            if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null
                                    && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
                                upstream.setChunked(true);
                            }
                            request.pipeTo(upstream);
                        });
    }

    private static void copy(MultiMap from, MultiMap to) {
        from.forEach(
                header -> {
                    if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
                        to.add(header.getKey(), header.getValue());
                    }
                });
    }

    private static void badGateway(HttpServerRequest request) {
        if (!request.response().headWritten()) {
            request.response().setStatusCode(502).end();
        }
    }
}
