package gatehouse.keys.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.http.ChangeOrigins;
import gatehouse.contracts.http.TykException;
import gatehouse.contracts.http.TykResponses;
import gatehouse.contracts.tyk.ModifyResult;
import gatehouse.contracts.tyk.SessionDocuments;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.contracts.tyk.TykMessages;
import gatehouse.keys.domain.KeySessions;
import gatehouse.keys.domain.SessionValidator;
import gatehouse.keys.persistence.OrgKeyEntity;
import gatehouse.keys.persistence.OrgKeyStore;
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
import java.time.Instant;
import java.util.Map;

/** Tyk's {@code /tyk/org/keys} endpoints (COMPAT §8): organisation sessions, by org id. */
@Path("/tyk/org/keys")
public class OrgKeyResource {

    private static final String ORG_NOT_FOUND = "Org not found";

    private final OrgKeyStore store;

    OrgKeyResource(OrgKeyStore store) {
        this.store = store;
    }

    @GET
    public Uni<Response> list() {
        return store.all()
                .map(
                        orgs ->
                                TykResponses.ok(
                                        Map.of("keys", orgs.stream().map(o -> o.orgId).toList())));
    }

    @GET
    @Path("{org}")
    public Uni<Response> get(@PathParam("org") String orgId) {
        KeyResource.checked(
                () -> SessionValidator.validateOrgId(orgId), TykMessages.REQUEST_MALFORMED);
        return store.find(orgId)
                .map(
                        org -> {
                            if (org == null) {
                                throw new TykException(404, ORG_NOT_FOUND);
                            }
                            return TykResponses.ok(SessionDocuments.withDefaults(session(org)));
                        });
    }

    @POST
    @Path("{org}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> add(
            @PathParam("org") String orgId, String body, @Context HttpServerRequest request) {
        return write(orgId, body, "added", request);
    }

    @PUT
    @Path("{org}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(
            @PathParam("org") String orgId, String body, @Context HttpServerRequest request) {
        return write(orgId, body, "modified", request);
    }

    private Uni<Response> write(
            String orgId, String body, String action, HttpServerRequest request) {
        KeyResource.checked(
                () -> SessionValidator.validateOrgId(orgId), TykMessages.REQUEST_MALFORMED);
        ObjectNode session = KeySessions.read(body);
        if (session == null) {
            throw new TykException(400, TykMessages.REQUEST_MALFORMED);
        }
        KeyResource.checked(
                () -> SessionValidator.validate(session), TykMessages.REQUEST_MALFORMED);
        session.put("org_id", orgId);
        session.put("last_updated", Long.toString(Instant.now().getEpochSecond()));
        return store.write(orgId, session, false, ChangeOrigins.adminSecret(request))
                .map(written -> TykResponses.ok(new ModifyResult(orgId, "ok", action, null)));
    }

    @DELETE
    @Path("{org}")
    public Uni<Response> delete(
            @PathParam("org") String orgId, @Context HttpServerRequest request) {
        KeyResource.checked(
                () -> SessionValidator.validateOrgId(orgId), TykMessages.REQUEST_MALFORMED);
        return store.write(orgId, null, true, ChangeOrigins.adminSecret(request))
                .map(
                        deleted -> {
                            if (deleted == null) {
                                throw new TykException(404, ORG_NOT_FOUND);
                            }
                            return TykResponses.ok(ModifyResult.deleted(orgId));
                        });
    }

    private static ObjectNode session(OrgKeyEntity org) {
        try {
            return (ObjectNode) TykJson.MAPPER.readTree(org.session);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored org session", e);
        }
    }
}
