package gatehouse.gateway.routing;

import gatehouse.contracts.tyk.ApiDefinition;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An API's {@code CORS} rules, compiled when its route is built; they behave as the rs/cors handler
 * Tyk uses: headers only for an allowed origin (and, on a preflight, an allowed method and
 * headers), and an OPTIONS request answered with 200 by the gateway unless {@code
 * options_passthrough} is set.
 */
public final class CorsRules {

    private static final List<String> DEFAULT_METHODS = List.of("GET", "POST", "HEAD");
    private static final List<String> DEFAULT_HEADERS =
            List.of("origin", "accept", "content-type", "x-requested-with");

    private final boolean anyOrigin;
    private final List<String> origins;
    private final Set<String> methods;
    private final boolean anyHeader;
    private final Set<String> headers;
    private final String exposed;
    private final boolean credentials;
    private final int maxAge;
    private final boolean passthrough;

    private CorsRules(ApiDefinition.Cors cors) {
        List<String> allowedOrigins =
                cors.allowedOrigins() == null || cors.allowedOrigins().isEmpty()
                        ? List.of("*")
                        : cors.allowedOrigins();
        this.anyOrigin = allowedOrigins.contains("*");
        this.origins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
        this.methods =
                (cors.allowedMethods() == null || cors.allowedMethods().isEmpty()
                                ? DEFAULT_METHODS
                                : cors.allowedMethods())
                        .stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        List<String> allowedHeaders =
                cors.allowedHeaders() == null || cors.allowedHeaders().isEmpty()
                        ? DEFAULT_HEADERS
                        : cors.allowedHeaders();
        this.anyHeader = allowedHeaders.contains("*");
        this.headers =
                allowedHeaders.stream()
                        .map(h -> h.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toSet());
        this.exposed =
                cors.exposedHeaders() == null ? "" : String.join(", ", cors.exposedHeaders());
        this.credentials = cors.allowCredentials();
        this.maxAge = cors.maxAge();
        this.passthrough = cors.optionsPassthrough();
    }

    /** The rules, or null when CORS is off for the API. */
    public static CorsRules of(ApiDefinition.Cors cors) {
        return cors != null && cors.enable() ? new CorsRules(cors) : null;
    }

    /**
     * Adds the CORS headers a request earns to the response headers.
     *
     * @return true when the gateway answers the request itself (OPTIONS without passthrough)
     */
    public boolean apply(String method, MultiMap request, MultiMap response) {
        boolean options = "OPTIONS".equals(method);
        String requestedMethod = request.get("Access-Control-Request-Method");
        if (options && requestedMethod != null) {
            preflight(request, response, requestedMethod);
        } else {
            actual(method, request, response);
        }
        return options && !passthrough;
    }

    private void preflight(MultiMap request, MultiMap response, String requestedMethod) {
        response.add("Vary", "Origin")
                .add("Vary", "Access-Control-Request-Method")
                .add("Vary", "Access-Control-Request-Headers");
        String origin = request.get("Origin");
        if (origin == null
                || !originAllowed(origin)
                || !methods.contains(requestedMethod.toUpperCase(Locale.ROOT))) {
            return;
        }
        String requestedHeaders = request.get("Access-Control-Request-Headers");
        if (requestedHeaders != null && !requestedHeaders.isBlank() && !anyHeader) {
            for (String header : requestedHeaders.split(",")) {
                if (!headers.contains(header.trim().toLowerCase(Locale.ROOT))) {
                    return;
                }
            }
        }
        response.set("Access-Control-Allow-Origin", anyOrigin ? "*" : origin);
        response.set("Access-Control-Allow-Methods", requestedMethod.toUpperCase(Locale.ROOT));
        if (requestedHeaders != null && !requestedHeaders.isBlank()) {
            response.set("Access-Control-Allow-Headers", requestedHeaders);
        }
        if (credentials) {
            response.set("Access-Control-Allow-Credentials", "true");
        }
        if (maxAge > 0) {
            response.set("Access-Control-Max-Age", Integer.toString(maxAge));
        }
    }

    private void actual(String method, MultiMap request, MultiMap response) {
        response.add("Vary", "Origin");
        String origin = request.get("Origin");
        if (origin == null || !originAllowed(origin) || !methods.contains(method)) {
            return;
        }
        response.set("Access-Control-Allow-Origin", anyOrigin ? "*" : origin);
        if (!exposed.isEmpty()) {
            response.set("Access-Control-Expose-Headers", exposed);
        }
        if (credentials) {
            response.set("Access-Control-Allow-Credentials", "true");
        }
    }

    private boolean originAllowed(String origin) {
        if (anyOrigin) {
            return true;
        }
        String value = origin.toLowerCase(Locale.ROOT);
        for (String allowed : origins) {
            int star = allowed.indexOf('*');
            if (star < 0
                    ? allowed.equals(value)
                    : value.length() >= allowed.length() - 1
                            && value.startsWith(allowed.substring(0, star))
                            && value.endsWith(allowed.substring(star + 1))) {
                return true;
            }
        }
        return false;
    }
}
