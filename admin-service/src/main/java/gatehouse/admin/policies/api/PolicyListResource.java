package gatehouse.admin.policies.api;

import gatehouse.admin.documents.DocumentListRequests;
import gatehouse.admin.policies.persistence.PolicyLists;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * The Dashboard's internal reads of policies (issue 11), behind the admin secret: one
 * organisation's list paged in the database, one policy by either id, one by name. Writes stay on
 * {@code /tyk/policies}.
 */
@Path("/gatehouse/policies")
public class PolicyListResource {

    private final PolicyLists lists;

    PolicyListResource(PolicyLists lists) {
        this.lists = lists;
    }

    /** As {@code /gatehouse/apis/search}; {@code active} (any value) keeps active policies only. */
    @GET
    @Path("search")
    public Uni<Response> search(
            @QueryParam("org_id") String orgId,
            @QueryParam("q") String q,
            @QueryParam("sort") String sort,
            @QueryParam("offset") String offset,
            @QueryParam("limit") String limit,
            @QueryParam("active") String active) {
        return DocumentListRequests.page(
                lists.list(DocumentListRequests.query(orgId, q, sort, offset, limit, active)));
    }

    /** One live policy by {@code id} or {@code _id}, within {@code org_id} when given; or 404. */
    @GET
    @Path("lookup/{id}")
    public Uni<Response> lookup(@PathParam("id") String id, @QueryParam("org_id") String orgId) {
        return DocumentListRequests.one(lists.lookup(orgId, id));
    }

    /** The organisation's live policy of that name (case-insensitive), or 404. */
    @GET
    @Path("named")
    public Uni<Response> named(
            @QueryParam("org_id") String orgId, @QueryParam("name") String name) {
        return DocumentListRequests.one(lists.named(orgId, name == null ? "" : name));
    }
}
