package gatehouse.dashboard.organisations.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.common.api.Bodies;
import gatehouse.dashboard.common.api.DashboardException;
import gatehouse.dashboard.common.api.Views;
import gatehouse.dashboard.common.domain.InvalidDocumentException;
import gatehouse.dashboard.common.domain.ObjectIds;
import gatehouse.dashboard.organisations.domain.OrganisationDocuments;
import gatehouse.dashboard.organisations.persistence.OrganisationEntity;
import gatehouse.dashboard.organisations.persistence.OrganisationStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Map;

/**
 * The Admin API's {@code /admin/organisations} (DASHBOARD.md §2), behind {@code admin-auth}.
 * Deleting an organisation deletes its users and user groups with it.
 */
@Path("/admin/organisations")
public class OrganisationResource {

    private static final String MALFORMED = "Request body malformed";
    private static final String NOT_FOUND = "Could not retrieve org detail";

    private final OrganisationStore orgs;

    OrganisationResource(OrganisationStore orgs) {
        this.orgs = orgs;
    }

    /** Every organisation; Tyk's list is not paged and says {@code pages: 0}. */
    @GET
    public Uni<Response> list() {
        return orgs.all()
                .map(
                        all ->
                                Bodies.ok(
                                        Map.of(
                                                "organisations",
                                                all.stream()
                                                        .map(o -> Views.object(o.document))
                                                        .toList(),
                                                "pages",
                                                0)));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(String body) {
        return store(body, ObjectIds.next(Clock.systemUTC()), "Org created", MALFORMED);
    }

    /** An organisation with the id it had elsewhere (a migration from Tyk keeps its org ids). */
    @POST
    @Path("import")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> importOrg(String body) {
        ObjectNode object = Bodies.object(body, MALFORMED);
        String id = object.path("id").asText("");
        if (!ObjectIds.isValid(id)) {
            throw new DashboardException(400, "Failed to save new Org object to DB");
        }
        return store(
                body,
                id.toLowerCase(java.util.Locale.ROOT),
                "Org imported",
                "Failed to save new Org object to DB");
    }

    private Uni<Response> store(String body, String id, String message, String refused) {
        ObjectNode document = document(body, id, MALFORMED);
        OrganisationEntity org = new OrganisationEntity();
        org.id = id;
        org.ownerName = document.get("owner_name").asText();
        org.document = TykJson.encode(document).stripTrailing();
        return orgs.create(org)
                .map(
                        created -> {
                            if (!created) {
                                throw new DashboardException(400, refused);
                            }
                            return Bodies.ok(message, id);
                        });
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@PathParam("id") String id) {
        return orgs.find(id)
                .map(
                        org -> {
                            if (org == null) {
                                throw new DashboardException(404, NOT_FOUND);
                            }
                            return Bodies.ok(Views.object(org.document));
                        });
    }

    /** Replaces the whole document: what the request leaves out is emptied, as on Tyk. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(@PathParam("id") String id, String body) {
        String refused = "Failed to update Org object to DB";
        ObjectNode document = document(body, id, refused);
        return orgs.replace(
                        id,
                        document.get("owner_name").asText(),
                        TykJson.encode(document).stripTrailing())
                .map(
                        replaced -> {
                            if (!replaced) {
                                throw new DashboardException(404, NOT_FOUND);
                            }
                            return Bodies.ok("Org updated", null);
                        });
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return orgs.delete(id)
                .map(
                        deleted -> {
                            if (!deleted) {
                                throw new DashboardException(404, NOT_FOUND);
                            }
                            return Bodies.ok("Org deleted", null);
                        });
    }

    private static ObjectNode document(String body, String id, String refused) {
        ObjectNode object = Bodies.object(body, refused);
        try {
            return OrganisationDocuments.normalise(object, id);
        } catch (InvalidDocumentException e) {
            throw new DashboardException(403, refused);
        }
    }
}
