package gatehouse.dashboard.keys.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.access.api.Callers;
import gatehouse.dashboard.common.api.DashboardException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code /api/apis/keys} (DASHBOARD.md §5.2): every key of the caller's organisation (D has no
 * {@code GET /api/keys}), and basic-auth users by name.
 */
@Path("/api/apis/keys")
public class OrgKeyListResource {

    private final KeyCalls keys;

    OrgKeyListResource(KeyCalls keys) {
        this.keys = keys;
    }

    @GET
    public Uni<Response> list(@QueryParam("p") String p, RoutingContext routing) {
        return keys.keyList(Callers.of(routing), null, null, p, KeyCalls.LIST_FAILED);
    }

    /** A basic-auth user named by the path; its body's {@code basic_auth_data.password} is kept. */
    @POST
    @Path("basic/{username}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> basic(
            @PathParam("username") String username, String body, RoutingContext routing) {
        String malformed = "Request body malformed"; // no period here, as in Tyk
        ObjectNode sent = TykJson.readObject(body);
        if (sent == null) {
            throw new DashboardException(403, malformed);
        }
        ObjectNode basic =
                sent.get("basic_auth_data") instanceof ObjectNode given
                        ? given
                        : sent.putObject("basic_auth_data");
        basic.put("user", username);
        return keys.create(Callers.of(routing), TykJson.encode(sent), null, true, malformed);
    }
}
