package gatehouse.dashboard.keys.api;

import gatehouse.dashboard.access.api.Callers;
import gatehouse.dashboard.keys.domain.KeyLookup;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code /api/keys} (DASHBOARD.md §5.2): create (generated, custom or basic-auth), preview, the
 * detailed list, and one key by key, hash or user name (§5.1), within the caller's organisation.
 */
@Path("/api/keys")
public class KeyResource {

    private final KeyCalls keys;

    KeyResource(KeyCalls keys) {
        this.keys = keys;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(
            String body, @QueryParam("basic_auth") String basicAuth, RoutingContext routing) {
        return keys.create(
                Callers.of(routing), body, null, "true".equals(basicAuth), KeyCalls.MALFORMED);
    }

    @POST
    @Path("preview")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> preview(String body, RoutingContext routing) {
        return keys.preview(Callers.of(routing), body);
    }

    @GET
    @Path("detailed")
    public Uni<Response> detailed(
            @QueryParam("q") String q, @QueryParam("p") String p, RoutingContext routing) {
        return keys.detailedList(Callers.of(routing), q, p);
    }

    @POST
    @Path("{keyId}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> createCustom(
            @PathParam("keyId") String keyId, String body, RoutingContext routing) {
        return keys.create(Callers.of(routing), body, keyId, false, KeyCalls.MALFORMED);
    }

    @GET
    @Path("{keyId}")
    public Uni<Response> get(
            @PathParam("keyId") String keyId,
            @QueryParam("hashed") String hashed,
            @QueryParam("username") String username,
            @QueryParam("auto_guess") String autoGuess,
            RoutingContext routing) {
        return keys.get(
                Callers.of(routing), null, KeyLookup.of(keyId, hashed, username, autoGuess));
    }

    @PUT
    @Path("{keyId}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(
            @PathParam("keyId") String keyId,
            String body,
            @QueryParam("hashed") String hashed,
            @QueryParam("username") String username,
            @QueryParam("auto_guess") String autoGuess,
            @QueryParam("suppress_reset") String suppressReset,
            RoutingContext routing) {
        return keys.update(
                Callers.of(routing),
                null,
                KeyLookup.of(keyId, hashed, username, autoGuess),
                body,
                suppressReset);
    }

    @DELETE
    @Path("{keyId}")
    public Uni<Response> delete(
            @PathParam("keyId") String keyId,
            @QueryParam("hashed") String hashed,
            @QueryParam("username") String username,
            @QueryParam("auto_guess") String autoGuess,
            RoutingContext routing) {
        return keys.delete(
                Callers.of(routing), null, KeyLookup.of(keyId, hashed, username, autoGuess));
    }
}
