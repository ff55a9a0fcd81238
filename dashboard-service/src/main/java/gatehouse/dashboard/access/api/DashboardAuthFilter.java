package gatehouse.dashboard.access.api;

import gatehouse.contracts.http.TykResponses;
import gatehouse.dashboard.access.domain.Access;
import gatehouse.dashboard.common.api.DashboardReply;
import gatehouse.dashboard.users.domain.AccessKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every Dashboard request before routing (DASHBOARD.md §1.1): {@code /admin/...}
 * needs the {@code admin-auth} secret; {@code /api/...} a user's credential in {@code
 * authorization} (raw, or after {@code Bearer }) and the permission of the path's section (§3.2).
 * Trailing slashes are dropped first ({@code /admin/organisations/} works).
 */
public class DashboardAuthFilter {

    private static final Logger LOGGER = Logger.getLogger(DashboardAuthFilter.class);

    /** Tyk's 401 text, the same for a missing, unknown or revoked credential. */
    public static final String NOT_AUTHORISED = "Not authorised";

    private final AdminAuth admin;
    private final CallerLookup callers;

    DashboardAuthFilter(AdminAuth admin, CallerLookup callers) {
        this.admin = admin;
        this.callers = callers;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> authenticate(ContainerRequestContext request, RoutingContext routing) {
        String path = request.getUriInfo().getPath();
        boolean adminPath = path.equals("/admin") || path.startsWith("/admin/");
        boolean apiPath = path.equals("/api") || path.startsWith("/api/");
        if (!adminPath && !apiPath) {
            return Uni.createFrom().nullItem();
        }
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.replaceAll("/+$", "");
            request.setRequestUri(
                    request.getUriInfo().getRequestUriBuilder().replacePath(path).build());
        }
        if (adminPath) {
            if (admin.admits(request.getHeaderString(AdminAuth.HEADER))) {
                return Uni.createFrom().nullItem();
            }
            LOGGER.warnf(
                    "refused Admin API call without the secret: %s %s", request.getMethod(), path);
            return Uni.createFrom().item(unauthorised());
        }
        String presented = AccessKeys.presented(request.getHeaderString("authorization"));
        if (presented == null) {
            return Uni.createFrom().item(unauthorised());
        }
        String method = request.getMethod();
        String checkedPath = path;
        return callers.caller(presented)
                .map(
                        caller -> {
                            if (caller == null) {
                                LOGGER.debugf(
                                        "refused %s %s: unknown credential", method, checkedPath);
                                return unauthorised();
                            }
                            String denial = Access.denial(caller, method, checkedPath);
                            if (denial != null) {
                                return TykResponses.json(403, DashboardReply.error(denial));
                            }
                            routing.put(Callers.KEY, caller);
                            return null;
                        });
    }

    private static Response unauthorised() {
        return TykResponses.json(401, DashboardReply.error(NOT_AUTHORISED));
    }
}
