package gatehouse.gateway.proxy;

import io.vertx.core.http.HttpServerResponse;

/**
 * Tyk's error body for proxied APIs ({@code templates/error.json}): {@code {\n "error": "<msg>"\n}}
 * with no trailing newline, and {@code X-Generator: tyk.io}.
 */
public final class ProxiedErrors {

    public static final String UPSTREAM_TIMEOUT = "Upstream service reached hard timeout.";
    public static final String UPSTREAM_FAILED = "There was a problem proxying the request";
    public static final String UPSTREAM_HOST_UNKNOWN = "Upstream host lookup failed";

    private ProxiedErrors() {}

    public static void send(HttpServerResponse response, int status, String message) {
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("X-Generator", "tyk.io")
                .end("{\n    \"error\": \"" + escape(message) + "\"\n}");
    }

    /** The answer when the upstream of an API gives no response. */
    public static void upstreamFailed(
            HttpServerResponse response, Forwarder.Failure failure, Throwable cause) {
        switch (failure) {
            case TIMEOUT -> send(response, 504, UPSTREAM_TIMEOUT);
            case HOST_UNKNOWN -> send(response, 500, UPSTREAM_HOST_UNKNOWN);
            default -> send(response, 500, UPSTREAM_FAILED);
        }
    }

    static String escape(String message) {
        StringBuilder out = new StringBuilder(message.length() + 8);
        for (char c : message.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
