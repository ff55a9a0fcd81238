package gatehouse.contracts.http;

import gatehouse.contracts.tyk.StatusMessage;
import gatehouse.contracts.tyk.TykMessages;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where the owner services turn failures into Tyk's control-API answers. */
public class TykExceptionMapper {

    private static final org.jboss.logging.Logger LOGGER =
            org.jboss.logging.Logger.getLogger(TykExceptionMapper.class);

    @ServerExceptionMapper
    public Response refused(TykException e) {
        return TykResponses.json(e.status(), StatusMessage.error(e.getMessage()));
    }

    @ServerExceptionMapper
    public Response methodNotAllowed(NotAllowedException e) {
        return TykResponses.json(405, StatusMessage.error(TykMessages.METHOD_NOT_SUPPORTED));
    }

    /** Go's mux: an unknown control path is a plain-text 404, not JSON. */
    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Response.status(404)
                .type(MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8"))
                .entity(TykMessages.CONTROL_PATH_NOT_FOUND)
                .build();
    }

    /**
     * Anything unexpected is an answer in Tyk's envelope, never a stack trace or Quarkus's error
     * id: a dependency that cannot be reached (the database, the broker) is a 503 that says so,
     * never a 500 and never an auth error; the rest is a 500. Checked exceptions (a refused
     * connection is an IOException) come here too.
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (e instanceof jakarta.ws.rs.WebApplicationException wae) {
            return wae.getResponse();
        }
        if (DependencyFailures.isUnavailable(e)) {
            LOGGER.warnf("a dependency is unavailable: %s", DependencyFailures.describe(e));
            return TykResponses.json(503, StatusMessage.error(DependencyFailures.MESSAGE));
        }
        LOGGER.error("unexpected failure", e);
        return TykResponses.json(500, StatusMessage.error("Internal server error"));
    }
}
