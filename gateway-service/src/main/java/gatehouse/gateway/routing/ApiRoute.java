package gatehouse.gateway.routing;

import gatehouse.contracts.tyk.ApiDefinition;

/**
 * One API as the data plane serves it, built once per change of its definition.
 *
 * @param apiId           the API
 * @param listenPath      the normalised listen path (leading slash, trailing slash kept)
 * @param upstream        the parsed {@code target_url}
 * @param stripListenPath remove the matched prefix before joining with the target path
 * @param keyless         no authentication
 * @param version         the definition's version, for diagnostics
 */
public record ApiRoute(String apiId, String listenPath, Upstream upstream, boolean stripListenPath,
                       boolean keyless, long version) {

    /**
     * Builds the route for a definition.
     *
     * @throws IllegalArgumentException when the definition cannot be routed (no listen path, bad target)
     */
    public static ApiRoute of(ApiDefinition definition, long version) {
        var proxy = definition.proxy();
        if (definition.apiId() == null || definition.apiId().isEmpty() || proxy == null) {
            throw new IllegalArgumentException("definition without api_id or proxy section");
        }
        String listenPath = normalise(proxy.listenPath());
        return new ApiRoute(definition.apiId(), listenPath, Upstream.of(proxy.targetUrl()), proxy.stripListenPath(),
                definition.useKeyless(), version);
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

    /** The path sent upstream for a request path matched under {@code prefix}. */
    public String upstreamPath(String prefix, String requestPath) {
        return upstream.join(stripListenPath ? requestPath.substring(prefix.length()) : requestPath);
    }
}
