package gatehouse.gateway.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import gatehouse.contracts.analytics.AnalyticsRecord;
import gatehouse.gateway.keys.HeldKey;
import gatehouse.gateway.routing.ApiRoute;
import gatehouse.gateway.routing.ClientAddress;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the request path notes about one request for its analytics record: references and numbers
 * only, filled on the event loop; the record itself (text, tags, the key's hash) is made by the
 * shipper's thread. It is the response's end handler: when the response ends (or the connection
 * closes first), it takes the status and byte counts and hands itself to the recorder.
 */
public final class RequestTrace implements Handler<Void> {

    /** The status recorded when the client went away before the response was complete (Tyk's). */
    static final int CLIENT_CLOSED = 499;

    private final AnalyticsRecorder recorder;

    /**
     * Cleared once the response ended: a queued trace must not keep the request's buffers alive.
     */
    private HttpServerRequest request;

    final ApiRoute route;
    final String fullPath;
    final String afterListen;
    final long startNanos;
    final long startMillis;
    final String method;
    final HostAndPort authority;
    final String rawPath;
    final String contentLength;
    final String userAgent;
    final String realIp;
    final String forwardedFor;
    final SocketAddress peer;
    final String[] tagValues;

    String version;
    HeldKey key;
    long upstreamSent;
    long upstreamAnswered;
    int status;
    long bytesIn;
    long bytesOut;
    long endNanos;
    String trackedPath;

    RequestTrace(
            AnalyticsRecorder recorder,
            HttpServerRequest request,
            ApiRoute route,
            String fullPath,
            String afterListen,
            long startNanos,
            long startMillis,
            String method,
            HostAndPort authority,
            String rawPath,
            String contentLength,
            String userAgent,
            String realIp,
            String forwardedFor,
            SocketAddress peer,
            String[] tagValues) {
        this.recorder = recorder;
        this.request = request;
        this.route = route;
        this.fullPath = fullPath;
        this.afterListen = afterListen;
        this.startNanos = startNanos;
        this.startMillis = startMillis;
        this.method = method;
        this.authority = authority;
        this.rawPath = rawPath;
        this.contentLength = contentLength;
        this.userAgent = userAgent;
        this.realIp = realIp;
        this.forwardedFor = forwardedFor;
        this.peer = peer;
        this.tagValues = tagValues;
    }

    /** The version served, once the version check passed (null when not versioned). */
    public void version(String version) {
        this.version = version;
    }

    /** The key or token the request authenticated with. */
    public void key(HeldKey key) {
        this.key = key;
    }

    /** The request is being sent upstream. */
    public void upstreamSent() {
        upstreamSent = System.nanoTime();
    }

    /** The upstream's response headers arrived. */
    public void upstreamAnswered() {
        upstreamAnswered = System.nanoTime();
    }

    /** The response ended, or the connection closed before it did. */
    @Override
    public void handle(Void ended) {
        HttpServerRequest served = request;
        request = null;
        HttpServerResponse response = served.response();
        finish(
                response.ended() ? response.getStatusCode() : CLIENT_CLOSED,
                served.bytesRead(),
                response.bytesWritten(),
                System.nanoTime());
    }

    /** Notes how the request ended and hands the trace to the recorder. */
    void finish(int status, long bytesIn, long bytesOut, long endNanos) {
        this.status = status;
        this.bytesIn = bytesIn;
        this.bytesOut = bytesOut;
        this.endNanos = endNanos;
        recorder.finish(this);
    }

    /** The record, made on the shipper's thread. */
    AnalyticsRecord toRecord() {
        var tracking = route.tracking();
        String keyHash = "";
        String oauthId = "";
        String alias = "";
        List<String> tags = new ArrayList<>();
        if (key != null) {
            keyHash = key.state().keyHash() == null ? "" : key.state().keyHash();
            JsonNode session = key.state().session();
            if (session != null) {
                oauthId = session.path("oauth_client_id").asText("");
                alias = session.path("alias").asText("");
                for (JsonNode tag : session.path("tags")) {
                    tags.add(tag.asText());
                }
            }
        }
        String[] headers = tracking.tagHeaders();
        for (int i = 0; i < headers.length; i++) {
            if (tagValues[i] != null && !tagValues[i].isEmpty()) {
                tags.add(headers[i] + "-" + tagValues[i]);
            }
        }
        double total = (endNanos - startNanos) / 1_000_000.0;
        double upstream =
                upstreamSent != 0 && upstreamAnswered != 0
                        ? (upstreamAnswered - upstreamSent) / 1_000_000.0
                        : 0;
        return new AnalyticsRecord(
                method,
                authority == null ? "" : authority.toString(),
                trackedPath != null ? trackedPath : below(afterListen),
                rawPath,
                length(contentLength),
                userAgent == null ? "" : userAgent,
                status,
                keyHash,
                Instant.ofEpochMilli(startMillis),
                version == null ? "" : version,
                tracking.apiName(),
                route.apiId(),
                tracking.orgId(),
                oauthId,
                total,
                new AnalyticsRecord.Latency(total, upstream),
                clientAddress(),
                new AnalyticsRecord.Network(bytesIn, bytesOut),
                tags,
                alias,
                trackedPath != null);
    }

    /**
     * Tyk's real IP, as the request path reads it for IP rules: {@code X-Real-IP}, else the first
     * {@code X-Forwarded-For} hop (both only when forwarded headers are trusted), else the peer.
     */
    private String clientAddress() {
        String address =
                ClientAddress.of(realIp, forwardedFor, peer == null ? null : peer.hostAddress());
        return address == null ? "" : address;
    }

    /** The path below the listen path with its leading slash (a listen path may end with one). */
    private static String below(String afterListen) {
        return afterListen.startsWith("/") ? afterListen : "/" + afterListen;
    }

    private static long length(String header) {
        if (header == null || header.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
