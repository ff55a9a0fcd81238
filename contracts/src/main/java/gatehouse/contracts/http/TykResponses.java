package gatehouse.contracts.http;

import gatehouse.contracts.tyk.TykJson;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds control-API responses in Tyk's wire format (Go JSON encoding, trailing newline). */
public final class TykResponses {

    private TykResponses() {}

    /** A JSON body as Tyk writes it, with the given status. */
    public static Response json(int status, Object body) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(TykJson.encode(body))
                .build();
    }

    /** A 200 JSON body as Tyk writes it. */
    public static Response ok(Object body) {
        return json(200, body);
    }
}
