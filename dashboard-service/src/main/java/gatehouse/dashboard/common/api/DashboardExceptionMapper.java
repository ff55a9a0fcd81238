package gatehouse.dashboard.common.api;

import gatehouse.contracts.http.DependencyFailures;
import gatehouse.contracts.http.TykResponses;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The Dashboard's answers to failures, in its capitalised envelope; ahead of contracts' mapper
 * (which writes the Gateway API's lower-case one).
 */
public class DashboardExceptionMapper {

    private static final Logger LOGGER = Logger.getLogger(DashboardExceptionMapper.class);

    // a lower value runs first; contracts' mappers keep the default (Priorities.USER)
    private static final int AHEAD_OF_CONTRACTS = jakarta.ws.rs.Priorities.USER - 100;

    /** What the Dashboard says for a method a path does not have. */
    static final String METHOD_NOT_ALLOWED = "Method not allowed";

    @ServerExceptionMapper(priority = AHEAD_OF_CONTRACTS)
    public Response refused(DashboardException e) {
        return TykResponses.json(e.status(), DashboardReply.error(e.getMessage()));
    }

    @ServerExceptionMapper(priority = AHEAD_OF_CONTRACTS)
    public Response methodNotAllowed(NotAllowedException e) {
        return TykResponses.json(405, DashboardReply.error(METHOD_NOT_ALLOWED));
    }

    /** Go's mux: an unknown path is a plain-text 404. */
    @ServerExceptionMapper(priority = AHEAD_OF_CONTRACTS)
    public Response notFound(NotFoundException e) {
        return Response.status(404)
                .type(MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8"))
                .entity("404 page not found\n")
                .build();
    }

    /** A database outage is a 503 that says so, never an auth error; the rest a 500. */
    @ServerExceptionMapper(priority = AHEAD_OF_CONTRACTS)
    public Response unexpected(Throwable e) {
        if (e instanceof WebApplicationException wae) {
            return wae.getResponse();
        }
        if (DependencyFailures.isUnavailable(e)) {
            LOGGER.warnf("a dependency is unavailable: %s", DependencyFailures.describe(e));
            return TykResponses.json(503, DashboardReply.error(DependencyFailures.MESSAGE));
        }
        LOGGER.error("unexpected failure", e);
        return TykResponses.json(500, DashboardReply.error("Internal server error"));
    }
}
