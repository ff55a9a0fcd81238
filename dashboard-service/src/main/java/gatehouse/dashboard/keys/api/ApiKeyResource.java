package gatehouse.dashboard.keys.api;

import gatehouse.dashboard.access.api.Callers;
import gatehouse.dashboard.access.domain.Caller;
import gatehouse.dashboard.keys.domain.KeyLookup;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code /api/apis/{apiId}/keys} (DASHBOARD.md §5.2): the keys with access to one of the caller's
 * APIs (by either id), and one such key.
 */
@Path("/api/apis/{apiId}/keys")
public class ApiKeyResource {

    private final KeyCalls keys;

    ApiKeyResource(KeyCalls keys) {
        this.keys = keys;
    }

    @GET
    public Uni<Response> list(
            @PathParam("apiId") String apiId, @QueryParam("p") String p, RoutingContext routing) {
        return page(Callers.of(routing), apiId, null, p, 404, KeyCalls.KEYS_NOT_FOUND);
    }

    @GET
    @Path("search")
    public Uni<Response> search(
            @PathParam("apiId") String apiId,
            @QueryParam("q") String q,
            @QueryParam("p") String p,
            RoutingContext routing) {
        return page(Callers.of(routing), apiId, q, p, 400, "Could not search keys.");
    }

    private Uni<Response> page(
            Caller caller, String apiId, String q, String p, int status, String refused) {
        return keys.api(caller, apiId, status, refused)
                .chain(
                        definition ->
                                keys.keyList(
                                        caller,
                                        definition.path("api_id").asText(),
                                        q,
                                        p,
                                        KeyCalls.LIST_FAILED));
    }

    @GET
    @Path("{keyId}")
    public Uni<Response> get(
            @PathParam("apiId") String apiId,
            @PathParam("keyId") String keyId,
            @QueryParam("hashed") String hashed,
            @QueryParam("username") String username,
            @QueryParam("auto_guess") String autoGuess,
            RoutingContext routing) {
        return keys.get(
                Callers.of(routing), apiId, KeyLookup.of(keyId, hashed, username, autoGuess));
    }

    @PUT
    @Path("{keyId}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(
            @PathParam("apiId") String apiId,
            @PathParam("keyId") String keyId,
            String body,
            @QueryParam("hashed") String hashed,
            @QueryParam("username") String username,
            @QueryParam("auto_guess") String autoGuess,
            @QueryParam("suppress_reset") String suppressReset,
            RoutingContext routing) {
        return keys.update(
                Callers.of(routing),
                apiId,
                KeyLookup.of(keyId, hashed, username, autoGuess),
                body,
                suppressReset);
    }

    @DELETE
    @Path("{keyId}")
    public Uni<Response> delete(
            @PathParam("apiId") String apiId,
            @PathParam("keyId") String keyId,
            @QueryParam("hashed") String hashed,
            @QueryParam("username") String username,
            @QueryParam("auto_guess") String autoGuess,
            RoutingContext routing) {
        return keys.delete(
                Callers.of(routing), apiId, KeyLookup.of(keyId, hashed, username, autoGuess));
    }
}
