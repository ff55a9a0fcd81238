package gatehouse.contracts.http;

import gatehouse.contracts.tyk.StatusMessage;
import gatehouse.contracts.tyk.TykMessages;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks {@code x-tyk-authorization} on every {@code /tyk/...} request before routing, so an
 * unknown control path without the secret is a 403 as on Tyk. Each owner checks the secret itself,
 * even behind the gateway or an ingress. Trailing slashes are stripped first, as Tyk does ({@code
 * /tyk/apis/} works).
 */
public class AdminAuthFilter {

    private static final Logger LOGGER = Logger.getLogger(AdminAuthFilter.class);

    private final AdminGuard guard;

    AdminAuthFilter(AdminGuard guard) {
        this.guard = guard;
    }

    @ServerRequestFilter(preMatching = true)
    public Response checkAdminSecret(ContainerRequestContext request) {
        // the raw path, before anything decodes it: decoded, /tyk/apis/%2F would be routed as
        // /tyk/apis/
        String raw = request.getUriInfo().getRequestUri().getRawPath();
        String path = request.getUriInfo().getPath();
        if (path.length() > 1 && path.endsWith("/") && isControlPath(path)) {
            String trimmed = path.replaceAll("/+$", "");
            request.setRequestUri(
                    request.getUriInfo().getRequestUriBuilder().replacePath(trimmed).build());
            path = trimmed;
        }
        if (!isControlPath(path)) {
            return null;
        }
        if (guard.admits(request.getHeaderString(AdminGuard.HEADER))) {
            String refusal = RequestPaths.controlPathRefusal(raw);
            return refusal == null ? null : TykResponses.json(400, StatusMessage.error(refusal));
        }
        LOGGER.warnf(
                "Attempted administrative access with invalid or missing key: %s %s",
                request.getMethod(), path);
        return TykResponses.json(403, StatusMessage.error(TykMessages.ADMIN_ACCESS_DENIED));
    }

    /**
     * {@code /tyk/...}, per-API {@code .../tyk/...} admin paths, and {@code /gatehouse/...}: the
     * owners' internal endpoints for the gateways.
     */
    static boolean isControlPath(String path) {
        return path.startsWith("/tyk/")
                || path.equals("/tyk")
                || path.contains("/tyk/oauth/authorize-client")
                || path.startsWith("/gatehouse/");
    }
}
