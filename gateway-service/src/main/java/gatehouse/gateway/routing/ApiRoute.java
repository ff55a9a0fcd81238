package gatehouse.gateway.routing;

import gatehouse.contracts.net.IpRange;
import gatehouse.contracts.tyk.ApiDefinition;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One API as the data plane serves it, built once per change of its definition: everything the
 * request path needs is parsed here, not per request.
 *
 * @param apiId the API
 * @param listenPath the normalised listen path (leading slash, trailing slash kept)
 * @param domain the host it answers on (lower case, no port), or null for any
 * @param upstreams the target, or the round-robin targets when load balancing
 * @param stripListenPath remove the matched prefix before joining with the target path
 * @param keyless no authentication
 * @param auth how a keyed API authenticates; null when keyless
 * @param allowedIps when non-null, only these addresses are let in
 * @param blockedIps when non-null, these addresses are kept out
 * @param rateLimit the API-wide limit, or null
 * @param versioning versions and path rules, or null when the definition has none
 * @param versionRouter the APIs serving this base API's versions, or null when it routes none
 * @param cors CORS rules, or null when off
 * @param tracking the API's name, org and analytics options
 * @param version the definition's version, for diagnostics
 * @param next the round-robin position, shared by every request on this route
 */
public record ApiRoute(
        String apiId,
        String listenPath,
        String domain,
        List<Upstream> upstreams,
        boolean stripListenPath,
        boolean keyless,
        ApiAuth auth,
        List<IpRange> allowedIps,
        List<IpRange> blockedIps,
        ApiRateLimit rateLimit,
        Versioning versioning,
        VersionRouter versionRouter,
        CorsRules cors,
        Tracking tracking,
        List<String> clientCertificates,
        long version,
        AtomicInteger next) {

    /**
     * Builds the route for a definition.
     *
     * @throws IllegalArgumentException when the definition cannot be routed (no listen path, bad
     *     target)
     */
    public static ApiRoute of(ApiDefinition definition, long version) {
        return of(definition, version, Versioning.Matching.TYK_DEFAULTS);
    }

    /** Builds the route, path patterns compiled with the gateway's matching options. */
    public static ApiRoute of(
            ApiDefinition definition, long version, Versioning.Matching matching) {
        var proxy = definition.proxy();
        if (definition.apiId() == null || definition.apiId().isEmpty() || proxy == null) {
            throw new IllegalArgumentException("definition without api_id or proxy section");
        }
        List<Upstream> upstreams =
                proxy.enableLoadBalancing()
                                && proxy.targetList() != null
                                && !proxy.targetList().isEmpty()
                        ? proxy.targetList().stream().map(Upstream::of).toList()
                        : List.of(Upstream.of(proxy.targetUrl()));
        String domain =
                definition.domain() == null || definition.domain().isBlank()
                        ? null
                        : hostOnly(definition.domain());
        return new ApiRoute(
                definition.apiId(),
                normalise(proxy.listenPath()),
                domain,
                upstreams,
                proxy.stripListenPath(),
                definition.useKeyless(),
                ApiAuth.of(definition),
                definition.enableIpWhitelisting() ? ranges(definition.allowedIps()) : null,
                definition.enableIpBlacklisting() ? ranges(definition.blacklistedIps()) : null,
                definition.globalRateLimit() != null && definition.globalRateLimit().active()
                        ? new ApiRateLimit(
                                definition.globalRateLimit().rate(),
                                definition.globalRateLimit().per())
                        : null,
                Versioning.of(definition, matching),
                VersionRouter.of(definition),
                CorsRules.of(definition.cors()),
                Tracking.of(definition, matching),
                definition.useMutualTlsAuth()
                        ? (definition.clientCertificates() == null
                                ? List.of()
                                : List.copyOf(definition.clientCertificates()))
                        : null,
                version,
                new AtomicInteger());
    }

    private static List<IpRange> ranges(List<String> values) {
        return values == null ? List.of() : values.stream().map(IpRange::parse).toList();
    }

    /** A Host header without its port, lower case. */
    public static String hostOnly(String host) {
        String value = host.trim().toLowerCase();
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end > 0 ? value.substring(0, end + 1) : value;
        }
        int colon = value.indexOf(':');
        return colon >= 0 && value.indexOf(':', colon + 1) < 0 ? value.substring(0, colon) : value;
    }

    /** Tyk's listen path rules: a leading slash, dot segments resolved, a trailing slash kept. */
    static String normalise(String listenPath) {
        if (listenPath == null || listenPath.isBlank() || listenPath.contains(" ")) {
            throw new IllegalArgumentException("unusable listen_path: " + listenPath);
        }
        String path = listenPath.startsWith("/") ? listenPath : "/" + listenPath;
        boolean trailing = path.endsWith("/") && path.length() > 1;
        String cleaned = java.nio.file.Path.of(path).normalize().toString();
        if (cleaned.isEmpty()) {
            cleaned = "/";
        }
        return trailing && !cleaned.endsWith("/") ? cleaned + "/" : cleaned;
    }

    /** The upstream for the next request: the target, or the next one in round-robin order. */
    public Upstream upstream() {
        if (upstreams.size() == 1) {
            return upstreams.get(0);
        }
        return upstreams.get(Math.floorMod(next.getAndIncrement(), upstreams.size()));
    }

    /** The path sent upstream for a request path matched under {@code prefix}. */
    public String upstreamPath(Upstream upstream, String prefix, String requestPath) {
        return upstream.join(
                stripListenPath ? requestPath.substring(prefix.length()) : requestPath);
    }

    /** True when the client address passes the API's allow and block lists. */
    public boolean admits(byte[] clientAddress) {
        if (allowedIps != null
                && allowedIps.stream().noneMatch(range -> range.contains(clientAddress))) {
            return false;
        }
        return blockedIps == null
                || blockedIps.stream().noneMatch(range -> range.contains(clientAddress));
    }
}
