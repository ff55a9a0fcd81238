package gatehouse.admin.policies.api;

import gatehouse.admin.documents.InvalidDocumentException;
import gatehouse.admin.policies.domain.PolicyRules;
import gatehouse.admin.policies.persistence.PolicyStore;
import gatehouse.contracts.http.ChangeOrigins;
import gatehouse.contracts.http.TykException;
import gatehouse.contracts.http.TykResponses;
import gatehouse.contracts.tyk.ModifyResult;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;

/**
 * Tyk's {@code /tyk/policies} endpoints (COMPAT §4.2). Unlike Tyk, a change is stored and live at
 * once and published on {@code gatehouse.policies}.
 */
@Path("/tyk/policies")
public class PolicyResource {

    private final PolicyStore store;

    PolicyResource(PolicyStore store) {
        this.store = store;
    }

    @GET
    public Uni<Response> list() {
        return store.all()
                .map(
                        policies ->
                                Response.ok(
                                                policies.stream()
                                                        .map(p -> p.document)
                                                        .collect(
                                                                Collectors.joining(
                                                                        ",", "[", "]\n")),
                                                MediaType.APPLICATION_JSON_TYPE)
                                        .build());
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@PathParam("id") String id) {
        return store.find(id)
                .map(
                        policy -> {
                            if (policy == null) {
                                throw new TykException(404, "Policy not found");
                            }
                            return Response.ok(
                                            policy.document + "\n", MediaType.APPLICATION_JSON_TYPE)
                                    .build();
                        });
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(String body, @Context HttpServerRequest request) {
        return save(null, body, request, "added");
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> createAt(
            @PathParam("id") String id, String body, @Context HttpServerRequest request) {
        return save(id, body, request, "added");
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(
            @PathParam("id") String id, String body, @Context HttpServerRequest request) {
        return save(id, body, request, "modified");
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    public Response updateWithoutId() {
        throw new TykException(400, "Must specify an apiID to update");
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, @Context HttpServerRequest request) {
        return store.delete(id, ChangeOrigins.adminSecret(request))
                .map(
                        deleted -> {
                            if (deleted == null) {
                                throw new TykException(500, "Delete failed");
                            }
                            return TykResponses.ok(ModifyResult.deleted(id));
                        });
    }

    @DELETE
    public Response deleteWithoutId() {
        throw new TykException(400, "Must specify an apiID to delete");
    }

    private Uni<Response> save(
            String pathId, String body, HttpServerRequest request, String action) {
        PolicyRules.PolicyDocument policy;
        try {
            policy = PolicyRules.read(pathId, body);
        } catch (InvalidDocumentException e) {
            throw new TykException(400, e.getMessage());
        }
        return store.save(policy, ChangeOrigins.adminSecret(request))
                .map(saved -> TykResponses.ok(new ModifyResult(saved.id, "ok", action, null)));
    }
}
