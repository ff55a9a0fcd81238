package gatehouse.contracts.http;

import gatehouse.contracts.events.ChangeOrigin;
import io.vertx.core.http.HttpServerRequest;
import java.util.UUID;

/** Reads who made a control-API change from the request, the same way in every owner service. */
public final class ChangeOrigins {

    private ChangeOrigins() {}

    /**
     * The admin-secret holder, seen from where the request came: the last {@code X-Forwarded-For}
     * hop, the one the gateway or ingress in front of this service added (earlier hops are the
     * client's word), with the client's {@code X-Request-Id} or a generated one.
     */
    public static ChangeOrigin adminSecret(HttpServerRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        String address =
                forwarded != null && !forwarded.isBlank()
                        ? forwarded.substring(forwarded.lastIndexOf(',') + 1).trim()
                        : request.remoteAddress() == null
                                ? null
                                : request.remoteAddress().hostAddress();
        String requestId = request.getHeader("X-Request-Id");
        if (requestId == null || requestId.isBlank() || requestId.length() > 200) {
            requestId = UUID.randomUUID().toString();
        }
        return new ChangeOrigin("admin-secret", address, requestId);
    }
}
