package gatehouse.keys.api;

import gatehouse.contracts.http.TykException;
import gatehouse.keys.persistence.KeyStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The gateways' read-through for a key whose event has not reached them yet (DESIGN §4): by digest,
 * so no raw key crosses the wire. Guarded by the admin secret like every control path.
 */
@Path("/gatehouse/keys")
public class KeyLookupResource {

    private final KeyStore store;

    KeyLookupResource(KeyStore store) {
        this.store = store;
    }

    /**
     * {@code {"version":n,"state":KeyState}}, or 404 when there is no live key with that digest.
     */
    @GET
    @Path("{digest}")
    public Uni<Response> lookup(@PathParam("digest") String digest) {
        return store.find(digest)
                .map(
                        key -> {
                            if (key == null) {
                                throw new TykException(404, KeyResource.KEY_NOT_FOUND);
                            }
                            String body =
                                    "{\"version\":"
                                            + key.version
                                            + ",\"state\":"
                                            + KeyStore.stateOf(key)
                                            + "}\n";
                            return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
                        });
    }
}
