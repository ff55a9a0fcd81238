package gatehouse.admin.policies.api;

import gatehouse.admin.documents.DocumentListRequests;
import gatehouse.admin.documents.DocumentLists;
import gatehouse.admin.policies.persistence.PolicyLists;
import gatehouse.contracts.http.TykException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.Map;

/**
 * The Dashboard's internal reads of policies (issue 11), behind the admin secret: one
 * organisation's list searched, sorted and paged in the database, one policy by either id, one by
 * name. Writes stay on {@code /tyk/policies}.
 */
@Path("/gatehouse/policies")
public class PolicyListResource {

    private final PolicyLists lists;

    PolicyListResource(PolicyLists lists) {
        this.lists = lists;
    }

    /**
     * As {@code /gatehouse/apis/search}, with the Dashboard's policy filters ({@link
     * PolicyLists#filter}): {@code q} is a policy id or a name substring, {@code policy_ids} and
     * {@code api_id} are CSV, {@code active} (any value) keeps active policies only, {@code state}
     * is {@code active}, {@code draft} or {@code deny}; {@code sort} also takes {@code
     * date_created} and {@code state}. An unknown sort or state is a 400.
     */
    @GET
    @Path("search")
    public Uni<Response> search(
            @QueryParam("org_id") String orgId,
            @QueryParam("q") String q,
            @QueryParam("sort") String sort,
            @QueryParam("offset") String offset,
            @QueryParam("limit") String limit,
            @QueryParam("active") String active,
            @QueryParam("policy_ids") String policyIds,
            @QueryParam("state") String state,
            @QueryParam("api_id") String apiIds) {
        // offset, limit and the common checks as every list reads them
        var common = DocumentListRequests.query(orgId, q, null, offset, limit, active);
        if (!PolicyLists.knownSort(sort)) {
            throw new TykException(400, "unknown sort " + sort);
        }
        Map<String, String> filters = new HashMap<>();
        if (policyIds != null) {
            filters.put("policy_ids", policyIds);
        }
        if (state != null) {
            filters.put("state", state);
        }
        if (apiIds != null) {
            filters.put("api_id", apiIds);
        }
        // policy_ids takes precedence over q
        String searched = PolicyLists.csv(policyIds).isEmpty() ? q : null;
        return DocumentListRequests.page(
                lists.list(
                        new DocumentLists.Query(
                                orgId,
                                searched,
                                sort,
                                common.offset(),
                                common.limit(),
                                common.activeOnly(),
                                filters)));
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
