package gatehouse.contracts.http;

import gatehouse.contracts.tyk.StatusMessage;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.contracts.tyk.TykMessages;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where the owner services turn failures into Tyk's control-API answers. */
public class TykExceptionMapper {

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
        return Response.status(404).type(MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8"))
                .entity(TykMessages.CONTROL_PATH_NOT_FOUND).build();
    }

    /** Kept for symmetry with Tyk: anything unexpected is a 500 in the envelope, never a stack trace. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e instanceof jakarta.ws.rs.WebApplicationException wae) {
            return wae.getResponse();
        }
        org.jboss.logging.Logger.getLogger(TykExceptionMapper.class).error("unexpected failure", e);
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(TykJson.encode(StatusMessage.error("Internal server error"))).build();
    }
}
