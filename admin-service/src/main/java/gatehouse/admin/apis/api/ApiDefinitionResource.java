package gatehouse.admin.apis.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.admin.apis.domain.ApiDefinitionRules;
import gatehouse.admin.apis.domain.ApiVersions;
import gatehouse.admin.apis.persistence.ApiDefinitionStore;
import gatehouse.admin.documents.InvalidDocumentException;
import gatehouse.contracts.http.ChangeOrigins;
import gatehouse.contracts.http.TykException;
import gatehouse.contracts.http.TykResponses;
import gatehouse.contracts.tyk.ModifyResult;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.contracts.tyk.TykMessages;
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
 * Tyk's classic {@code /tyk/apis} endpoints (COMPAT §5). Unlike Tyk, a created API is stored and
 * live at once: {@code GET} returns it immediately and every gateway routes it within a second.
 */
@Path("/tyk/apis")
public class ApiDefinitionResource {

    private final ApiDefinitionStore store;

    ApiDefinitionResource(ApiDefinitionStore store) {
        this.store = store;
    }

    @GET
    public Uni<Response> list() {
        return store.all()
                .map(
                        apis ->
                                Response.ok(
                                                apis.stream()
                                                        .map(api -> api.document)
                                                        .collect(
                                                                Collectors.joining(
                                                                        ",", "[", "]\n")),
                                                MediaType.APPLICATION_JSON_TYPE)
                                        .build());
    }

    @GET
    @Path("{apiId}")
    public Uni<Response> get(@PathParam("apiId") String apiId) {
        return store.find(apiId)
                .map(
                        api -> {
                            if (api == null) {
                                throw new TykException(404, TykMessages.API_NOT_FOUND);
                            }
                            var ok =
                                    Response.ok(
                                            api.document + "\n", MediaType.APPLICATION_JSON_TYPE);
                            if (api.document.contains("\"base_id\"")) {
                                String base = ApiVersions.baseOf(TykJson.readObject(api.document));
                                if (base != null) {
                                    ok.header("x-tyk-base-api-id", base);
                                }
                            }
                            return ok.build();
                        });
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(String body, @Context HttpServerRequest request) {
        return save(body, request);
    }

    /** Tyk ignores the id in the path on POST; the body's {@code api_id} decides. */
    @POST
    @Path("{apiId}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> createAt(
            @PathParam("apiId") String ignored, String body, @Context HttpServerRequest request) {
        return save(body, request);
    }

    /** Tyk's order of checks: id, existence, body, id match, validation (COMPAT §5). */
    @PUT
    @Path("{apiId}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(
            @PathParam("apiId") String apiId, String body, @Context HttpServerRequest request) {
        requireSafeId(apiId);
        return store.find(apiId)
                .flatMap(
                        existing -> {
                            if (existing == null) {
                                throw new TykException(404, TykMessages.API_NOT_FOUND);
                            }
                            var api = refusing(() -> ApiDefinitionRules.readUpdate(apiId, body));
                            return refuseDuplicateListenPath(api)
                                    .chain(
                                            () ->
                                                    store.update(
                                                            api,
                                                            ChangeOrigins.adminSecret(request)));
                        })
                .map(
                        updated -> {
                            if (updated == null) { // deleted meanwhile
                                throw new TykException(404, TykMessages.API_NOT_FOUND);
                            }
                            return TykResponses.ok(ModifyResult.modified(apiId));
                        });
    }

    @DELETE
    @Path("{apiId}")
    public Uni<Response> delete(
            @PathParam("apiId") String apiId, @Context HttpServerRequest request) {
        requireSafeId(apiId);
        return store.delete(apiId, ChangeOrigins.adminSecret(request))
                .map(
                        deleted -> {
                            if (deleted == null) {
                                throw new TykException(404, TykMessages.API_NOT_FOUND);
                            }
                            return TykResponses.ok(ModifyResult.deleted(apiId));
                        });
    }

    private Uni<Response> save(String body, HttpServerRequest request) {
        ApiVersions version;
        try {
            version =
                    ApiVersions.of(
                            request.getParam("base_api_id"),
                            request.getParam("new_version_name"),
                            request.getParam("base_api_version_name"),
                            request.getParam("set_default"));
        } catch (InvalidDocumentException e) {
            throw new TykException(422, e.getMessage());
        }
        var api = refusing(() -> ApiDefinitionRules.read(body));
        if (version == null) {
            return refuseDuplicateListenPath(api)
                    .chain(() -> store.save(api, ChangeOrigins.adminSecret(request)))
                    .map(saved -> TykResponses.ok(ModifyResult.added(saved.id)));
        }
        return store.find(version.baseApiId())
                .chain(
                        base -> {
                            if (base == null || version.baseApiId().equals(api.apiId())) {
                                throw new TykException(400, version.noBase());
                            }
                            // both documents are checked before either is written
                            ObjectNode linked =
                                    refusing(
                                            () ->
                                                    version.linkedBase(
                                                            TykJson.readObject(base.document),
                                                            api.apiId()));
                            var child =
                                    refusing(
                                            () ->
                                                    ApiDefinitionRules.read(
                                                            TykJson.encode(
                                                                    version.markedChild(
                                                                            api.document()))));
                            var routing =
                                    refusing(
                                            () ->
                                                    ApiDefinitionRules.readUpdate(
                                                            version.baseApiId(),
                                                            TykJson.encode(linked)));
                            var origin = ChangeOrigins.adminSecret(request);
                            // the child first: a base never routes to a version that was not stored
                            return refuseDuplicateListenPath(child)
                                    .chain(() -> store.save(child, origin))
                                    .chain(
                                            saved ->
                                                    store.update(routing, origin)
                                                            .replaceWith(saved));
                        })
                .map(saved -> TykResponses.ok(ModifyResult.added(saved.id)));
    }

    private Uni<Void> refuseDuplicateListenPath(gatehouse.admin.apis.domain.ApiDocument api) {
        return store.listenPathClaimedBy(api.listenPath(), api.definition().domain(), api.apiId())
                .invoke(
                        owner -> {
                            if (owner != null) {
                                throw new TykException(
                                        400,
                                        "Validation of API Definition failed. Reason: proxy.listen_path "
                                                + api.listenPath()
                                                + " is already used by API "
                                                + owner
                                                + ".");
                            }
                        })
                .replaceWithVoid();
    }

    private static void requireSafeId(String apiId) {
        if (!ApiDefinitionRules.isSafePathComponent(apiId)) {
            throw new TykException(400, TykMessages.INVALID_API_ID);
        }
    }

    private static <T> T refusing(java.util.function.Supplier<T> rule) {
        try {
            return rule.get();
        } catch (InvalidDocumentException e) {
            throw new TykException(400, e.getMessage());
        }
    }
}
