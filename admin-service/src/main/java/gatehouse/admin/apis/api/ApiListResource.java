package gatehouse.admin.apis.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.admin.apis.persistence.ApiLists;
import gatehouse.admin.documents.DocumentListRequests;
import gatehouse.contracts.http.TykResponses;
import gatehouse.contracts.tyk.TykJson;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.Map;

/**
 * The Dashboard's internal reads of API definitions (issue 11), behind the admin secret like every
 * {@code /gatehouse/...} path: one organisation's list paged, searched and sorted in the database,
 * and one API by either of its ids. Writes stay on {@code /tyk/apis}.
 */
@Path("/gatehouse/apis")
public class ApiListResource {

    private final ApiLists lists;

    ApiListResource(ApiLists lists) {
        this.lists = lists;
    }

    /**
     * {@code {"items":[{"document":{...},"created_at":..,"updated_at":..}],"total":N}}.
     *
     * @param orgId the organisation; absent for every one
     * @param limit 0 or absent for all
     *     <p>{@code api_type}, {@code auth_type}, {@code category} and {@code base_apis} are the
     *     Dashboard's filters ({@link ApiLists}); an unknown type is a 400.
     */
    @GET
    @Path("search")
    public Uni<Response> search(
            @QueryParam("org_id") String orgId,
            @QueryParam("q") String q,
            @QueryParam("sort") String sort,
            @QueryParam("offset") String offset,
            @QueryParam("limit") String limit,
            @QueryParam("api_type") String apiType,
            @QueryParam("auth_type") String authType,
            @QueryParam("category") String category,
            @QueryParam("base_apis") String baseApis) {
        Map<String, String> filters = new HashMap<>();
        if (apiType != null) {
            filters.put("api_type", apiType);
        }
        if (authType != null) {
            filters.put("auth_type", authType);
        }
        if (category != null) {
            filters.put("category", category);
        }
        if (baseApis != null) {
            filters.put("base_apis", baseApis);
        }
        var query = DocumentListRequests.query(orgId, q, sort, offset, limit, null);
        return DocumentListRequests.page(lists.list(query.withFilters(filters)));
    }

    /**
     * {@code {"items":[{"api_id","name"}]}}: the organisation's APIs with a {@code #tag} in their
     * name.
     */
    @GET
    @Path("tagged")
    public Uni<Response> tagged(@QueryParam("org_id") String orgId) {
        return lists.tagged(orgId)
                .map(
                        rows -> {
                            ObjectNode out = TykJson.MAPPER.createObjectNode();
                            ArrayNode items = out.putArray("items");
                            rows.forEach(
                                    row ->
                                            items.addObject()
                                                    .put("api_id", row.getKey())
                                                    .put("name", row.getValue()));
                            return TykResponses.ok(out);
                        });
    }

    /** One live API by {@code api_id} or database id, within {@code org_id} when given; or 404. */
    @GET
    @Path("lookup/{id}")
    public Uni<Response> lookup(@PathParam("id") String id, @QueryParam("org_id") String orgId) {
        return DocumentListRequests.one(lists.lookup(orgId, id));
    }
}
