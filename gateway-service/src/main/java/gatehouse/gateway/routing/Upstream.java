package gatehouse.gateway.routing;

import java.net.URI;

/**
 * Where a route sends requests, parsed once when the route is built.
 *
 * @param host upstream host
 * @param port upstream port (scheme default when the URL has none)
 * @param ssl true for https
 * @param basePath the URL's path, {@code /} when empty
 */
public record Upstream(String host, int port, boolean ssl, String basePath) {

    /** Parses an absolute http(s) URL. */
    public static Upstream of(String url) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme();
        if (scheme == null
                || uri.getHost() == null
                || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("not an absolute http(s) URL: " + url);
        }
        boolean ssl = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path =
                uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new Upstream(uri.getHost(), port, ssl, path);
    }

    /**
     * Tyk's single-joining-slash: the base path and the request path with exactly one slash
     * between.
     */
    public String join(String requestPath) {
        if (requestPath.isEmpty()) {
            return basePath;
        }
        boolean baseSlash = basePath.endsWith("/");
        boolean pathSlash = requestPath.startsWith("/");
        if (baseSlash && pathSlash) {
            return basePath + requestPath.substring(1);
        }
        if (!baseSlash && !pathSlash) {
            return basePath + "/" + requestPath;
        }
        return basePath + requestPath;
    }
}
