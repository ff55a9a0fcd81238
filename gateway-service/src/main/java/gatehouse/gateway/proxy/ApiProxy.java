package gatehouse.gateway.proxy;

import gatehouse.contracts.net.IpRange;
import gatehouse.contracts.tyk.TykMessages;
import gatehouse.gateway.analytics.AnalyticsRecorder;
import gatehouse.gateway.analytics.RequestTrace;
import gatehouse.gateway.certs.CertificateRegistry;
import gatehouse.gateway.health.ApiHealthStats;
import gatehouse.gateway.keys.HeldKey;
import gatehouse.gateway.keys.KeyedAccess;
import gatehouse.gateway.routing.ApiRoute;
import gatehouse.gateway.routing.ClientAddress;
import gatehouse.gateway.routing.RoutingTable;
import gatehouse.gateway.routing.Upstream;
import gatehouse.gateway.routing.VersionRouter;
import gatehouse.gateway.routing.Versioning;
import gatehouse.gateway.state.RoutingTableHolder;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.IntSupplier;

/**
 * The data plane's request path: match the routing table in force, then forward. In-memory and
 * non-blocking; the table is read once per request, so a swap mid-request cannot mix two tables.
 */
public final class ApiProxy {

    /** Each OAuth2 API's own endpoints under its listen path (COMPAT §9.2). */
    private static final java.util.Set<String> OAUTH_ENDPOINTS =
            java.util.Set.of(
                    "/oauth/authorize",
                    "/oauth/authorize/",
                    "/oauth/token",
                    "/oauth/token/",
                    "/tyk/oauth/authorize-client",
                    "/tyk/oauth/authorize-client/",
                    "/oauth/revoke",
                    "/oauth/revoke_all");

    private final RoutingTableHolder tables;
    private final Forwarder forwarder;
    private final IntSupplier liveNodes;
    private final ApiHealthStats health;
    private final boolean trustForwardedHeaders;
    private final KeyedAccess keyedAccess;
    private final Upstream oauthService;
    private final AnalyticsRecorder analytics;
    private final CertificateRegistry certificates;

    /**
     * @param liveNodes how many gateway nodes share API-wide rate limits
     * @param health per-API figures for {@code /tyk/health}
     * @param trustForwardedHeaders read the client address from X-Real-IP / X-Forwarded-For as Tyk
     *     does; false when clients can reach the gateway directly and could forge them
     * @param keyedAccess authentication, access rights, key rate limits and quotas of keyed APIs
     * @param oauthService where each OAuth2 API's own endpoints ({@code /oauth/token}, ...) are
     *     served
     * @param analytics one record per request an API serves
     * @param certificates the certificates of {@code /tyk/certs}, for mutual TLS
     */
    public ApiProxy(
            RoutingTableHolder tables,
            Forwarder forwarder,
            IntSupplier liveNodes,
            ApiHealthStats health,
            boolean trustForwardedHeaders,
            KeyedAccess keyedAccess,
            Upstream oauthService,
            AnalyticsRecorder analytics,
            CertificateRegistry certificates) {
        this.analytics = analytics;
        this.certificates = certificates;
        this.keyedAccess = keyedAccess;
        this.oauthService = oauthService;
        this.tables = tables;
        this.forwarder = forwarder;
        this.liveNodes = liveNodes;
        this.health = health;
        this.trustForwardedHeaders = trustForwardedHeaders;
    }

    /**
     * Serves a request for an API.
     *
     * @param path the canonical request path ({@link gatehouse.contracts.http.RequestPaths}): what
     *     is routed, checked against the path rules and forwarded
     */
    public void handle(RoutingContext context, String path) {
        var request = context.request();
        RoutingTable.Match match =
                tables.current()
                        .match(
                                request.authority() == null ? null : request.authority().host(),
                                path);
        if (match == null) {
            context.response()
                    .setStatusCode(404)
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end(TykMessages.DATA_PATH_NOT_FOUND);
            return;
        }
        var route = match.route();
        if (route.auth() != null && route.auth().oauth2()) {
            String below = path.substring(match.prefix().length());
            String endpoint = below.startsWith("/") ? below : "/" + below;
            if (OAUTH_ENDPOINTS.contains(endpoint)) {
                // Tyk serves these beside the API's middleware chain: oauth-service owns them
                String query = request.query();
                String uri = "/oauth-api/" + route.apiId() + endpoint;
                forwarder.forward(
                        request,
                        oauthService,
                        query == null ? uri : uri + "?" + query,
                        (response, failure, cause) ->
                                ProxiedErrors.send(
                                        response, 503, "OAuth service unavailable, please retry"));
                return;
            }
        }
        if (route.versionRouter() != null) {
            RoutingTable table = tables.current();
            var decision =
                    route.versionRouter()
                            .route(
                                    path.substring(match.prefix().length()),
                                    request::getHeader,
                                    request::getParam,
                                    apiId -> table.api(apiId) != null);
            if (decision instanceof VersionRouter.Refused refused) {
                ProxiedErrors.send(context.response(), refused.status(), refused.message());
                return;
            }
            if (decision instanceof VersionRouter.Child child) {
                // the version's API serves what came in on the base's listen path (Tyk's
                // VersionCheck)
                serve(
                        context,
                        table.api(child.apiId()),
                        match.prefix(),
                        VersionRouter.join(match.prefix(), child.afterListen()));
                return;
            }
        }
        serve(context, route, match.prefix(), path);
    }

    /** One API's chain from the version and path rules on, for a request under {@code prefix}. */
    private void serve(RoutingContext context, ApiRoute route, String prefix, String path) {
        var request = context.request();
        health.count(route.apiId(), ApiHealthStats.Counter.REQUEST);
        String afterListen = path.substring(prefix.length());
        // the record is made when the response ends, whoever answers: the upstream or a refusal
        RequestTrace trace = analytics.begin(request, route, path, afterListen);
        if (trace != null) {
            context.response().endHandler(trace);
        }
        String proxiedPath = path;
        boolean ignored = false;
        String passedVersion = null;
        if (route.versioning() != null) {
            var outcome =
                    route.versioning()
                            .check(
                                    request.method().name(),
                                    path,
                                    afterListen,
                                    request::getHeader,
                                    request::getParam);
            if (outcome instanceof Versioning.Refused refused) {
                ProxiedErrors.send(context.response(), refused.status(), refused.message());
                return;
            }
            var passed = (Versioning.Passed) outcome;
            ignored = passed.ignored();
            passedVersion = passed.version();
            if (trace != null) {
                trace.version(passedVersion);
            }
            if (passed.strippedPath() != null) {
                proxiedPath = passed.strippedPath();
            }
        }
        if (route.cors() != null
                && route.cors()
                        .apply(
                                request.method().name(),
                                request.headers(),
                                context.response().headers())) {
            context.response().setStatusCode(200).end();
            return;
        }
        if ((route.allowedIps() != null || route.blockedIps() != null)
                && !route.admits(clientAddress(request, trustForwardedHeaders))) {
            ProxiedErrors.send(context.response(), 403, "access from this IP has been disallowed");
            return;
        }
        if (route.clientCertificates() != null) {
            String refusal =
                    certificates.refusal(
                            gatehouse.gateway.certs.CertificateRegistry.presented(request),
                            route.clientCertificates(),
                            System.currentTimeMillis());
            if (refusal != null) {
                ProxiedErrors.send(context.response(), 403, refusal);
                return;
            }
        }
        if (!route.keyless() && !ignored && route.auth() != null) {
            keyedAccess.check(
                    context,
                    route,
                    passedVersion,
                    afterListen,
                    path,
                    new Granted(context, route, prefix, proxiedPath, trace));
            return;
        }
        limitAndForward(context, route, prefix, proxiedPath, ignored, request.query(), trace);
    }

    /** A keyed request's way on once its key is granted; its key goes to the trace. */
    private final class Granted implements KeyedAccess.Next {
        private final RoutingContext context;
        private final ApiRoute route;
        private final String prefix;
        private final String proxiedPath;
        private final RequestTrace trace;

        Granted(
                RoutingContext context,
                ApiRoute route,
                String prefix,
                String proxiedPath,
                RequestTrace trace) {
            this.context = context;
            this.route = route;
            this.prefix = prefix;
            this.proxiedPath = proxiedPath;
            this.trace = trace;
        }

        @Override
        public void proceed(String query) {
            limitAndForward(context, route, prefix, proxiedPath, false, query, trace);
        }

        @Override
        public void identified(HeldKey key) {
            if (trace != null) {
                trace.key(key);
            }
        }
    }

    /** The API-wide rate limit (after the key's, as in Tyk), then the upstream. */
    private void limitAndForward(
            RoutingContext context,
            ApiRoute route,
            String prefix,
            String proxiedPath,
            boolean ignored,
            String query,
            RequestTrace trace) {
        var request = context.request();
        if (route.rateLimit() != null
                && !ignored
                && !route.rateLimit().tryAcquire(liveNodes.getAsInt(), System.nanoTime())) {
            request.resume();
            health.count(route.apiId(), ApiHealthStats.Counter.THROTTLED);
            ProxiedErrors.send(context.response(), 429, "API Rate Limit Exceeded");
            return;
        }
        if (health.enabled()) {
            long started = System.nanoTime();
            context.response()
                    .headersEndHandler(
                            written ->
                                    health.latency(
                                            route.apiId(),
                                            (System.nanoTime() - started) / 1_000_000));
        }
        Upstream upstream = route.upstream();
        String uri = route.upstreamPath(upstream, prefix, proxiedPath);
        forwarder.forward(
                request,
                upstream,
                query == null ? uri : uri + "?" + query,
                ProxiedErrors::upstreamFailed,
                trace);
    }

    /**
     * Tyk's real IP: {@code X-Real-IP}, else the first {@code X-Forwarded-For} hop, else the peer;
     * only the peer when forwarded headers are not trusted.
     */
    static byte[] clientAddress(HttpServerRequest request, boolean trustForwardedHeaders) {
        String address =
                ClientAddress.of(
                        trustForwardedHeaders ? request.getHeader("X-Real-IP") : null,
                        trustForwardedHeaders ? request.getHeader("X-Forwarded-For") : null,
                        request.remoteAddress() == null
                                ? null
                                : request.remoteAddress().hostAddress());
        return address == null ? null : IpRange.literal(address);
    }
}
