package gatehouse.dashboard.access.api;

import gatehouse.dashboard.access.domain.Caller;
import io.vertx.ext.web.RoutingContext;

/** The authenticated caller of a {@code /api} request, left by {@link DashboardAuthFilter}. */
public final class Callers {

    static final String KEY = "gatehouse.dashboard.caller";

    private Callers() {}

    /** The caller; the filter refused the request before a resource runs without one. */
    public static Caller of(RoutingContext routing) {
        Caller caller = routing.get(KEY);
        if (caller == null) {
            throw new IllegalStateException("a /api request reached a resource unauthenticated");
        }
        return caller;
    }
}
