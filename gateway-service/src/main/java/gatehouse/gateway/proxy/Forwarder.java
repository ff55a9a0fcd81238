package gatehouse.gateway.proxy;

import gatehouse.gateway.analytics.RequestTrace;
import gatehouse.gateway.routing.Upstream;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * Streams a request to an upstream and its response back, on the event loop, over a pooled Vert.x
 * client: method, headers (less hop-by-hop ones), query and body are forwarded; bodies are never
 * buffered. Used for proxied APIs and for control paths forwarded to their owner services.
 */
public final class Forwarder {

    private static final Logger LOGGER = Logger.getLogger(Forwarder.class);

    /** How a failure before the response started is answered; each caller words it its own way. */
    @FunctionalInterface
    public interface FailureAnswer {
        void answer(HttpServerResponse response, Failure failure, Throwable cause);
    }

    /** Why the upstream gave no response. */
    public enum Failure {
        TIMEOUT,
        HOST_UNKNOWN,
        UNREACHABLE
    }

    // hop-by-hop headers, plus Host and Content-Length which are set for the upstream connection
    // itself
    private static final Set<CharSequence> NOT_FORWARDED =
            Set.of(
                    "connection",
                    "keep-alive",
                    "proxy-authenticate",
                    "proxy-authorization",
                    "te",
                    "trailer",
                    "trailers",
                    "transfer-encoding",
                    "upgrade",
                    "host",
                    "content-length");

    private static final Set<HttpMethod> IDEMPOTENT =
            Set.of(
                    HttpMethod.GET,
                    HttpMethod.HEAD,
                    HttpMethod.OPTIONS,
                    HttpMethod.PUT,
                    HttpMethod.DELETE,
                    HttpMethod.TRACE);

    /**
     * A body up to this size is read to its end when the client has gone, keeping the connection.
     */
    private static final long DRAIN_LIMIT = 64 * 1024;

    private static final long REPORT_EVERY = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    private static final java.util.concurrent.atomic.LongAdder FAILURES =
            new java.util.concurrent.atomic.LongAdder();
    private static final java.util.concurrent.atomic.AtomicLong LAST_REPORT =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - REPORT_EVERY);

    private final Vertx vertx;
    private final HttpClientOptions options;
    private final PoolOptions pool;
    private final HttpClient shared;
    private final ThreadLocal<HttpClient> ofThisEventLoop;
    private final List<HttpClient> clients = new CopyOnWriteArrayList<>();
    private final long timeoutMillis;

    public Forwarder(Vertx vertx, Duration connectTimeout, Duration upstreamTimeout) {
        this.vertx = vertx;
        this.options =
                new HttpClientOptions()
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setConnectTimeout((int) connectTimeout.toMillis())
                        .setDecompressionSupported(false);
        this.pool = new PoolOptions().setHttp1MaxSize(256);
        this.shared = newClient();
        this.ofThisEventLoop = ThreadLocal.withInitial(this::newClient);
        this.timeoutMillis = upstreamTimeout.toMillis();
    }

    private HttpClient newClient() {
        HttpClient client = vertx.createHttpClient(options, pool);
        clients.add(client);
        return client;
    }

    /**
     * The upstream client of the calling event loop: its pool opens connections on that loop, so a
     * request and its upstream exchange never change threads. One shared pool handed each request a
     * connection of any loop, and every write and every response chunk crossed threads (a quarter
     * of the gateway's CPU samples ran in those hand-offs under load).
     */
    private HttpClient client() {
        return Context.isOnEventLoopThread() ? ofThisEventLoop.get() : shared;
    }

    /**
     * Forwards the request.
     *
     * @param request the client's request (paused here until the upstream is connected)
     * @param upstream where to send it
     * @param uri the path and query to request upstream
     * @param onFailure answers the client when the upstream gives no response
     */
    public void forward(
            HttpServerRequest request, Upstream upstream, String uri, FailureAnswer onFailure) {
        forward(request, upstream, uri, onFailure, null);
    }

    /**
     * Forwards the request of a traced API request.
     *
     * @param trace notes when the request left and when the upstream's response headers came back;
     *     null when the request is not traced
     */
    public void forward(
            HttpServerRequest request,
            Upstream upstream,
            String uri,
            FailureAnswer onFailure,
            RequestTrace trace) {
        if (trace != null) {
            trace.upstreamSent();
        }
        request.pause();
        RequestOptions options =
                new RequestOptions()
                        .setMethod(request.method())
                        .setHost(upstream.host())
                        .setPort(upstream.port())
                        .setSsl(upstream.ssl())
                        .setURI(uri)
                        .setIdleTimeout(timeoutMillis);
        copyRequestHeaders(request, options);
        send(request, options, onFailure, trace, true);
    }

    /**
     * One attempt; a request without a body whose method is idempotent is tried once more when the
     * pooled connection it was given turned out closed by the upstream (a keep-alive race no client
     * should see), as nginx's {@code proxy_next_upstream error} does.
     */
    private void send(
            HttpServerRequest request,
            RequestOptions options,
            FailureAnswer onFailure,
            RequestTrace trace,
            boolean mayRetry) {
        client().request(options)
                .onComplete(
                        connected -> {
                            if (connected.failed()) {
                                request.resume();
                                fail(request.response(), connected.cause(), onFailure);
                                return;
                            }
                            HttpClientRequest upstreamRequest = connected.result();
                            String length = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
                            boolean bodiless = length == null && !isChunked(request);
                            var sent =
                                    length != null
                                            ? upstreamRequest
                                                    .putHeader(
                                                            HttpHeaderNames.CONTENT_LENGTH, length)
                                                    .send(request)
                                            : !bodiless
                                                    ? upstreamRequest.setChunked(true).send(request)
                                                    : sendWithoutBody(request, upstreamRequest);
                            sent.onComplete(
                                    answered -> {
                                        if (answered.failed()) {
                                            if (mayRetry
                                                    && bodiless
                                                    && answered.cause()
                                                            instanceof HttpClosedException
                                                    && IDEMPOTENT.contains(request.method())
                                                    && !request.response().closed()) {
                                                send(request, options, onFailure, trace, false);
                                                return;
                                            }
                                            fail(request.response(), answered.cause(), onFailure);
                                        } else {
                                            if (trace != null) {
                                                trace.upstreamAnswered();
                                            }
                                            relay(request, answered.result());
                                        }
                                    });
                        });
    }

    private static io.vertx.core.Future<HttpClientResponse> sendWithoutBody(
            HttpServerRequest request, HttpClientRequest upstreamRequest) {
        request.resume();
        return upstreamRequest.send();
    }

    private static boolean isChunked(HttpServerRequest request) {
        String encoding = request.getHeader(HttpHeaderNames.TRANSFER_ENCODING);
        return encoding != null && encoding.toLowerCase().contains("chunked");
    }

    private static void copyRequestHeaders(HttpServerRequest request, RequestOptions options) {
        options.setHeaders(
                forwardedHeaders(
                        request.headers(),
                        request.remoteAddress() == null
                                ? null
                                : request.remoteAddress().hostAddress(),
                        request.authority() == null ? null : request.authority().toString(),
                        request.isSSL()));
    }

    /**
     * The headers an upstream receives: the client's, less hop-by-hop ones, with {@code
     * X-Forwarded-For}, {@code -Host} and {@code -Proto} as Tyk sets them.
     *
     * @param client the client's address, or null when unknown
     * @param authority the request's authority, or null
     */
    static MultiMap forwardedHeaders(
            MultiMap incoming, String client, String authority, boolean ssl) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        String connectionTokens = incoming.get(HttpHeaderNames.CONNECTION);
        incoming.forEach(
                entry -> {
                    String name = entry.getKey();
                    if (!isHopByHop(name, connectionTokens)) {
                        headers.add(name, entry.getValue());
                    }
                });
        if (client != null) {
            String prior = incoming.get("X-Forwarded-For");
            headers.set(
                    "X-Forwarded-For",
                    prior == null || prior.isBlank() ? client : prior + ", " + client);
        }
        if (incoming.get("X-Forwarded-Host") == null && authority != null) {
            headers.set("X-Forwarded-Host", authority);
        }
        if (incoming.get("X-Forwarded-Proto") == null) {
            headers.set("X-Forwarded-Proto", ssl ? "https" : "http");
        }
        return headers;
    }

    private static boolean isHopByHop(String name, String connectionTokens) {
        String lower = name.toLowerCase();
        if (NOT_FORWARDED.contains(lower)) {
            return true;
        }
        if (connectionTokens == null) {
            return false;
        }
        for (String token : connectionTokens.split(",")) {
            if (token.trim().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static void relay(HttpServerRequest request, HttpClientResponse upstreamResponse) {
        HttpServerResponse response = request.response();
        // a reset by release() fails the upstream response on purpose: nothing to report
        upstreamResponse.exceptionHandler(ignored -> {});
        if (response.closed()) {
            release(upstreamResponse);
            return;
        }
        response.setStatusCode(upstreamResponse.statusCode());
        response.setStatusMessage(upstreamResponse.statusMessage());
        String connectionTokens = upstreamResponse.getHeader(HttpHeaderNames.CONNECTION);
        upstreamResponse
                .headers()
                .forEach(
                        entry -> {
                            if (!isHopByHop(entry.getKey(), connectionTokens)) {
                                response.headers().add(entry.getKey(), entry.getValue());
                            }
                        });
        String length = upstreamResponse.getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            response.putHeader(HttpHeaderNames.CONTENT_LENGTH, length);
        } else if (mayHaveBody(request, upstreamResponse.statusCode())) {
            response.setChunked(true);
        }
        stream(upstreamResponse, response);
    }

    /**
     * The upstream's body to the client with back-pressure, as {@code pipeTo} does, except that a
     * client gone mid-body stops the upstream exchange instead of having the rest written to its
     * closed response (which throws on the event loop for every chunk still arriving).
     */
    private static void stream(HttpClientResponse upstreamResponse, HttpServerResponse response) {
        response.closeHandler(gone -> release(upstreamResponse));
        upstreamResponse.handler(
                chunk -> {
                    if (response.closed() || response.ended()) {
                        return;
                    }
                    response.write(chunk);
                    if (response.writeQueueFull()) {
                        upstreamResponse.pause();
                        response.drainHandler(drained -> upstreamResponse.resume());
                    }
                });
        upstreamResponse.exceptionHandler(
                failure -> {
                    // as pipeTo did: the client's response ends where the upstream's broke off
                    if (!response.closed() && !response.ended()) {
                        response.end();
                    }
                });
        upstreamResponse.endHandler(
                ended -> {
                    if (!response.closed() && !response.ended()) {
                        response.end();
                    }
                });
    }

    /**
     * The client has gone: a small body is read to its end and dropped, so the upstream connection
     * goes back to the pool; a large or endless one is cut by resetting the exchange.
     */
    private static void release(HttpClientResponse upstreamResponse) {
        String length = upstreamResponse.getHeader(HttpHeaderNames.CONTENT_LENGTH);
        long bytes = -1;
        if (length != null) {
            try {
                bytes = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                bytes = -1;
            }
        }
        if (bytes >= 0 && bytes <= DRAIN_LIMIT) {
            upstreamResponse.handler(dropped -> {});
            upstreamResponse.endHandler(null);
            upstreamResponse.resume();
        } else {
            upstreamResponse.request().reset();
        }
    }

    private static boolean mayHaveBody(HttpServerRequest request, int status) {
        return request.method() != io.vertx.core.http.HttpMethod.HEAD
                && status >= 200
                && status != 204
                && status != 304;
    }

    private static void fail(
            HttpServerResponse response, Throwable cause, FailureAnswer onFailure) {
        if (response.closed()) {
            return; // the client went away first: nobody to answer
        }
        report(cause);
        if (response.headWritten()) {
            response.reset();
            return;
        }
        boolean timeout =
                cause instanceof java.util.concurrent.TimeoutException
                        || cause instanceof io.netty.handler.timeout.TimeoutException
                        || (cause.getMessage() != null
                                && cause.getMessage().toLowerCase().contains("timeout"));
        Failure failure =
                timeout
                        ? Failure.TIMEOUT
                        : cause instanceof java.net.UnknownHostException
                                ? Failure.HOST_UNKNOWN
                                : Failure.UNREACHABLE;
        onFailure.answer(response, failure, cause);
    }

    /** Upstream failures are counted and told at most every 10 s, not logged one by one. */
    private static void report(Throwable cause) {
        FAILURES.increment();
        long now = System.nanoTime();
        long last = LAST_REPORT.get();
        if (now - last >= REPORT_EVERY && LAST_REPORT.compareAndSet(last, now)) {
            LOGGER.warnf(
                    "%d upstream requests failed in the last %d s; the last: %s",
                    FAILURES.sumThenReset(),
                    java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(now - last),
                    cause.toString());
        }
    }

    public void close() {
        clients.forEach(HttpClient::close);
    }
}
