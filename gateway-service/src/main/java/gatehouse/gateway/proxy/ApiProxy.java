package gatehouse.gateway.proxy;

import java.util.function.IntSupplier;

import gatehouse.contracts.net.IpRange;
import gatehouse.contracts.tyk.TykMessages;
import gatehouse.gateway.health.ApiHealthStats;
import gatehouse.gateway.routing.Upstream;
import gatehouse.gateway.routing.Versioning;
import gatehouse.gateway.routing.RoutingTable;
import gatehouse.gateway.state.RoutingTableHolder;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The data plane's request path: match the routing table in force, then forward. In-memory and
 * non-blocking; the table is read once per request, so a swap mid-request cannot mix two tables.
 */
public final class ApiProxy implements Handler<RoutingContext> {

    private final RoutingTableHolder tables;
    private final Forwarder forwarder;
    private final IntSupplier liveNodes;
    private final ApiHealthStats health;
    private final boolean trustForwardedHeaders;

    /**
     * @param liveNodes how many gateway nodes share API-wide rate limits
     * @param health    per-API figures for {@code /tyk/health}
     * @param trustForwardedHeaders read the client address from X-Real-IP / X-Forwarded-For as Tyk does;
     *                  false when clients can reach the gateway directly and could forge them
     */
    public ApiProxy(RoutingTableHolder tables, Forwarder forwarder, IntSupplier liveNodes, ApiHealthStats health,
                    boolean trustForwardedHeaders) {
        this.tables = tables;
        this.forwarder = forwarder;
        this.liveNodes = liveNodes;
        this.health = health;
        this.trustForwardedHeaders = trustForwardedHeaders;
    }

    @Override
    public void handle(RoutingContext context) {
        var request = context.request();
        String path = request.path();
        RoutingTable.Match match = tables.current().match(request.authority() == null ? null
                : request.authority().host(), path);
        if (match == null) {
            context.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end(TykMessages.DATA_PATH_NOT_FOUND);
            return;
        }
        var route = match.route();
        health.count(route.apiId(), ApiHealthStats.Counter.REQUEST);
        String proxiedPath = path;
        boolean ignored = false;
        if (route.versioning() != null) {
            var outcome = route.versioning().check(request.method().name(), path, path.substring(match.prefix().length()),
                    request::getHeader, request::getParam);
            if (outcome instanceof Versioning.Refused refused) {
                ProxiedErrors.send(context.response(), refused.status(), refused.message());
                return;
            }
            var passed = (Versioning.Passed) outcome;
            ignored = passed.ignored();
            if (passed.strippedPath() != null) {
                proxiedPath = passed.strippedPath();
            }
        }
        if (route.cors() != null
                && route.cors().apply(request.method().name(), request.headers(), context.response().headers())) {
            context.response().setStatusCode(200).end();
            return;
        }
        if ((route.allowedIps() != null || route.blockedIps() != null) && !route.admits(clientAddress(request, trustForwardedHeaders))) {
            ProxiedErrors.send(context.response(), 403, "access from this IP has been disallowed");
            return;
        }
        if (!route.keyless() && !ignored) {
            // keys are not replicated to the gateway yet: no token can be valid here
            String token = request.getHeader("Authorization");
            health.count(route.apiId(), ApiHealthStats.Counter.KEY_FAILURE);
            if (token == null || token.isEmpty()) {
                ProxiedErrors.send(context.response(), 401, "Authorization field missing");
            } else {
                ProxiedErrors.send(context.response(), 403, "Access to this API has been disallowed");
            }
            return;
        }
        if (route.rateLimit() != null && !ignored && !route.rateLimit().tryAcquire(liveNodes.getAsInt(), System.nanoTime())) {
            health.count(route.apiId(), ApiHealthStats.Counter.THROTTLED);
            ProxiedErrors.send(context.response(), 429, "API Rate Limit Exceeded");
            return;
        }
        if (health.enabled()) {
            long started = System.nanoTime();
            context.response().headersEndHandler(written ->
                    health.latency(route.apiId(), (System.nanoTime() - started) / 1_000_000));
        }
        String query = request.query();
        Upstream upstream = route.upstream();
        String uri = route.upstreamPath(upstream, match.prefix(), proxiedPath);
        forwarder.forward(request, upstream, query == null ? uri : uri + "?" + query, ProxiedErrors::upstreamFailed);
    }

    /**
     * Tyk's real IP: {@code X-Real-IP}, else the first {@code X-Forwarded-For} hop, else the peer; only the
     * peer when forwarded headers are not trusted.
     */
    static byte[] clientAddress(HttpServerRequest request, boolean trustForwardedHeaders) {
        if (!trustForwardedHeaders) {
            return request.remoteAddress() == null ? null : IpRange.literal(request.remoteAddress().hostAddress());
        }
        String realIp = request.getHeader("X-Real-IP");
        if (realIp != null && !realIp.isBlank()) {
            return IpRange.literal(realIp.trim());
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            int comma = forwarded.indexOf(',');
            return IpRange.literal((comma < 0 ? forwarded : forwarded.substring(0, comma)).trim());
        }
        return request.remoteAddress() == null ? null : IpRange.literal(request.remoteAddress().hostAddress());
    }
}
