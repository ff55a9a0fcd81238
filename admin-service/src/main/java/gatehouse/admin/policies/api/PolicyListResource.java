package gatehouse.admin.policies.api;

import gatehouse.admin.documents.DocumentListRequests;
import gatehouse.admin.policies.persistence.PolicyLists;
import gatehouse.contracts.http.TykException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;

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
     * PolicyLists.Search}): {@code q} is a policy id or a name substring, {@code policy_ids} and
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
        if (state != null
                && !state.isEmpty()
                && !List.of("active", "draft", "deny").contains(state)) {
            throw new TykException(400, "unknown state " + state);
        }
        var search =
                new PolicyLists.Search(
                        orgId,
                        q,
                        csv(policyIds),
                        common.activeOnly(),
                        state,
                        csv(apiIds),
                        sort,
                        common.offset(),
                        common.limit());
        if (!search.knownSort()) {
            throw new TykException(400, "unknown sort " + sort);
        }
        return DocumentListRequests.page(lists.search(search));
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

    private static List<String> csv(String values) {
        if (values == null || values.isBlank()) {
            return List.of();
        }
        return Arrays.stream(values.split(","))
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .toList();
    }
}
