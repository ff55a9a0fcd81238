package gatehouse.oauth.api;

import gatehouse.contracts.http.TykException;
import gatehouse.oauth.persistence.OAuthStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The gateways' read-through for an access token whose event has not reached them yet: by digest.
 */
@Path("/gatehouse/oauth/tokens")
public class TokenLookupResource {

    private final OAuthStore store;

    TokenLookupResource(OAuthStore store) {
        this.store = store;
    }

    /**
     * {@code {"version":n,"state":KeyState}}, or 404 when there is no live token with that digest.
     */
    @GET
    @Path("{digest}")
    public Uni<Response> lookup(@PathParam("digest") String digest) {
        return store.findToken(digest)
                .map(
                        token -> {
                            if (token == null) {
                                throw new TykException(404, "Key not authorised");
                            }
                            String body =
                                    "{\"version\":"
                                            + token.version
                                            + ",\"state\":"
                                            + OAuthStore.stateOf(token)
                                            + "}\n";
                            return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
                        });
    }
}
