package gatehouse.dashboard.apis.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.http.OwnerCalls;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.access.api.Callers;
import gatehouse.dashboard.access.domain.Caller;
import gatehouse.dashboard.apis.access.domain.ApiOwners;
import gatehouse.dashboard.apis.access.persistence.ApiAccessStore;
import gatehouse.dashboard.apis.domain.ApiCategories;
import gatehouse.dashboard.common.api.Bodies;
import gatehouse.dashboard.common.api.DashboardException;
import gatehouse.dashboard.common.domain.ObjectIds;
import gatehouse.dashboard.common.domain.Pagination;
import gatehouse.dashboard.owners.messaging.Owners;
import gatehouse.dashboard.owners.messaging.Owners.Owner;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Dashboard's classic APIs, {@code /api/apis} (DASHBOARD.md §4): admin-service owns them and is
 * their only writer; this resource asks it, within the caller's organisation. Lists are paged,
 * searched and sorted by admin-service in its database ({@code /gatehouse/apis/search}).
 */
@Path("/api/apis")
public class ApiResource {

    static final String LIST_FAILED = "Could not retrieve APIs.";
    static final String NOT_FOUND = "Could not retrieve API detail";
    static final String MALFORMED = "Request body malformed.";
    private static final Set<String> SORTS =
            Set.of("name", "-name", "created_at", "-created_at", "updated_at", "-updated_at");

    private final Owners owners;
    private final ApiAccessStore access;
    private final int pageSize;

    ApiResource(
            Owners owners,
            ApiAccessStore access,
            @ConfigProperty(name = "gatehouse.dashboard.page-size", defaultValue = "10")
                    int pageSize) {
        this.owners = owners;
        this.access = access;
        this.pageSize = pageSize;
    }

    @GET
    public Uni<Response> list(
            @QueryParam("p") String p,
            @QueryParam("q") String q,
            @QueryParam("sort") String sort,
            @QueryParam("api_type") String apiType,
            @QueryParam("auth_type") String authType,
            @QueryParam("category") String category,
            @QueryParam("base_apis") String baseApis,
            RoutingContext routing) {
        StringBuilder filters = new StringBuilder();
        filter(filters, "api_type", apiType);
        filter(filters, "auth_type", authType);
        filter(filters, "category", category);
        filter(filters, "base_apis", baseApis);
        return page(Callers.of(routing), p, q, sort, filters.toString());
    }

    /** §4.2's filters, passed on to admin-service, which applies them in its database. */
    private static void filter(StringBuilder filters, String name, String value) {
        if (value != null && (!value.isEmpty() || name.equals("base_apis"))) {
            filters.append('&').append(name).append('=').append(Owners.param(value));
        }
    }

    /** {@code GET /api/apis/search?q=&p=}: the list's shape (§4.5). */
    @GET
    @Path("search")
    public Uni<Response> search(
            @QueryParam("p") String p, @QueryParam("q") String q, RoutingContext routing) {
        return page(Callers.of(routing), p, q, null, "");
    }

    /** {@code GET /api/apis/categories}: {@code {"categories":[{"name","count"}]}} (§4.5). */
    @GET
    @Path("categories")
    public Uni<Response> categories(RoutingContext routing) {
        return groups(Callers.of(routing), "Could not retrieve APIs")
                .map(
                        groups -> {
                            ObjectNode out = TykJson.MAPPER.createObjectNode();
                            ArrayNode list = out.putArray("categories");
                            groups.forEach(
                                    (name, ids) ->
                                            list.addObject()
                                                    .put("name", name)
                                                    .put("count", ids.size()));
                            return Bodies.ok(out);
                        });
    }

    /** {@code GET /api/apis/groups}: each category with its APIs' ids (§4.5). */
    @GET
    @Path("groups")
    public Uni<Response> groups(RoutingContext routing) {
        return groups(Callers.of(routing), LIST_FAILED).map(Bodies::ok);
    }

    /** The caller's tagged APIs (admin-service reads only those) grouped by category. */
    private Uni<Map<String, List<String>>> groups(Caller caller, String failed) {
        String path =
                "/gatehouse/apis/tagged"
                        + (caller.orgId() == null ? "" : "?org_id=" + Owners.param(caller.orgId()));
        return owners.call(Owner.ADMIN, HttpMethod.GET, path, null, failed)
                .map(
                        answer -> {
                            ObjectNode found = answer.status() == 200 ? answer.object() : null;
                            if (found == null) {
                                throw new DashboardException(400, failed);
                            }
                            Map<String, String> names = new LinkedHashMap<>();
                            found.path("items")
                                    .forEach(
                                            item ->
                                                    names.put(
                                                            item.path("api_id").asText(),
                                                            item.path("name").asText()));
                            return ApiCategories.groups(names);
                        });
    }

    @GET
    @Path("{apiId}")
    public Uni<Response> get(@PathParam("apiId") String apiId, RoutingContext routing) {
        return find(Callers.of(routing), apiId, 400, NOT_FOUND)
                .chain(
                        found ->
                                access.ownersOf(found.path("document").path("api_id").asText())
                                        .map(owners -> Bodies.ok(wrapper(found, owners))));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(
            String body,
            @QueryParam("base_api_id") String baseApiId,
            @QueryParam("new_version_name") String newVersionName,
            @QueryParam("base_api_version_name") String baseVersionName,
            @QueryParam("set_default") String setDefault,
            RoutingContext routing) {
        Caller caller = Callers.of(routing);
        boolean child = baseApiId != null && !baseApiId.isEmpty();
        if (child && (newVersionName == null || newVersionName.isEmpty())) {
            throw new DashboardException(400, "version name header should be set with base API ID");
        }
        ObjectNode definition = definitionOf(body);
        String databaseId = ObjectIds.next(Clock.systemUTC());
        definition.put("id", databaseId); // Tyk's database id: never the client's choice
        if (!caller.isSuperUser() || !definition.hasNonNull("org_id")) {
            definition.put("org_id", caller.orgId() == null ? "" : caller.orgId());
        }
        String apiId = definition.path("api_id").asText("");
        Uni<Void> free =
                apiId.isEmpty()
                        ? Uni.createFrom().voidItem()
                        // any organisation's: POST /tyk/apis would replace another org's API
                        : lookup(null, apiId, "Failed to create API")
                                .invoke(
                                        existing -> {
                                            if (existing != null) {
                                                throw new DashboardException(
                                                        409, "Found API with the same ID");
                                            }
                                        })
                                .replaceWithVoid();
        // a child version (§4.6): the base must be the caller's; admin-service links the two
        Uni<String> target =
                !child
                        ? Uni.createFrom().item("/tyk/apis")
                        : lookup(caller.orgId(), baseApiId, "Failed to create API")
                                .map(
                                        base -> {
                                            if (base == null) {
                                                throw new DashboardException(
                                                        400,
                                                        baseApiId
                                                                + " is not a valid Base API version");
                                            }
                                            return versionPath(
                                                    base.path("document").path("api_id").asText(),
                                                    newVersionName,
                                                    baseVersionName,
                                                    setDefault);
                                        });
        return free.chain(() -> target)
                .chain(
                        path ->
                                owners.call(
                                        Owner.ADMIN,
                                        HttpMethod.POST,
                                        path,
                                        definition,
                                        "Failed to create API"))
                .map(
                        answer -> {
                            ObjectNode result = ownerOk(answer);
                            return Bodies.ok(
                                    ApiCreated.of(databaseId, result.path("key").asText(apiId)));
                        });
    }

    /** admin-service's {@code POST /tyk/apis} with Tyk's versioning parameters. */
    private static String versionPath(
            String baseApiId, String newVersionName, String baseVersionName, String setDefault) {
        StringBuilder path =
                new StringBuilder("/tyk/apis?base_api_id=")
                        .append(Owners.param(baseApiId))
                        .append("&new_version_name=")
                        .append(Owners.param(newVersionName));
        if (baseVersionName != null && !baseVersionName.isEmpty()) {
            path.append("&base_api_version_name=").append(Owners.param(baseVersionName));
        }
        if (setDefault != null && !setDefault.isEmpty()) {
            path.append("&set_default=").append(Owners.param(setDefault));
        }
        return path.toString();
    }

    @PUT
    @Path("{apiId}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(
            @PathParam("apiId") String apiId, String body, RoutingContext routing) {
        Caller caller = Callers.of(routing);
        ObjectNode definition = definitionOf(body);
        return find(caller, apiId, 404, "API definition does not exist")
                .chain(
                        found -> {
                            ObjectNode stored = (ObjectNode) found.path("document");
                            String storedId = stored.path("id").asText("");
                            String sentId = definition.path("id").asText("");
                            if (!sentId.isEmpty() && !sentId.equals(storedId)) {
                                throw new DashboardException(400, "Invalid `ID` value");
                            }
                            String publicId = stored.path("api_id").asText();
                            // the ids and the organisation stay as stored (Tyk Cloud's rule)
                            if (!storedId.isEmpty()) {
                                definition.put("id", storedId);
                            }
                            definition.put("api_id", publicId);
                            definition.set("org_id", stored.get("org_id"));
                            return owners.call(
                                    Owner.ADMIN,
                                    HttpMethod.PUT,
                                    "/tyk/apis/" + Owners.param(publicId),
                                    definition,
                                    "Error while validating schema");
                        })
                .map(
                        answer -> {
                            if (answer.status() == 404) {
                                throw new DashboardException(404, "API definition does not exist");
                            }
                            ownerOk(answer);
                            return Bodies.ok("API updated", null);
                        });
    }

    @DELETE
    @Path("{apiId}")
    public Uni<Response> delete(@PathParam("apiId") String apiId, RoutingContext routing) {
        return find(Callers.of(routing), apiId, 404, NOT_FOUND)
                .chain(
                        found -> {
                            String publicId = found.path("document").path("api_id").asText();
                            return owners.call(
                                            Owner.ADMIN,
                                            HttpMethod.DELETE,
                                            "/tyk/apis/" + Owners.param(publicId),
                                            null,
                                            "Could not delete the API")
                                    .map(
                                            answer -> {
                                                if (answer.status() == 404) {
                                                    throw new DashboardException(404, NOT_FOUND);
                                                }
                                                if (answer.status() != 200) {
                                                    throw new DashboardException(
                                                            400, "Could not delete the API");
                                                }
                                                return publicId;
                                            });
                        })
                // its owners go with it: an API made later with the same api_id starts with none
                .call(access::forget)
                .map(deleted -> Bodies.ok("API deleted", null));
    }

    private Uni<Response> page(Caller caller, String p, String q, String sort, String filters) {
        if (sort != null && !sort.isEmpty() && !SORTS.contains(sort)) {
            throw new DashboardException(400, LIST_FAILED);
        }
        Pagination page = Pagination.of(Bodies.page(p), pageSize);
        StringBuilder path = new StringBuilder("/gatehouse/apis/search?offset=");
        path.append(page.offset()).append("&limit=").append(page.limit());
        if (caller.orgId() != null) {
            path.append("&org_id=").append(Owners.param(caller.orgId()));
        }
        if (q != null && !q.isEmpty()) {
            path.append("&q=").append(Owners.param(q));
        }
        if (sort != null && !sort.isEmpty()) {
            path.append("&sort=").append(Owners.param(sort));
        }
        path.append(filters);
        return owners.call(Owner.ADMIN, HttpMethod.GET, path.toString(), null, LIST_FAILED)
                .chain(
                        answer -> {
                            ObjectNode found = answer.status() == 200 ? answer.object() : null;
                            if (found == null) {
                                throw new DashboardException(400, LIST_FAILED);
                            }
                            List<JsonNode> items = new ArrayList<>();
                            found.path("items").forEach(items::add);
                            long pages = page.pages(found.path("total").asLong());
                            // the page's owners (§4.7) in one read of the Dashboard's database
                            return access.ownersOf(
                                            items.stream().map(ApiResource::apiIdOf).toList())
                                    .map(owned -> listed(items, owned, pages));
                        });
    }

    /** The caller's API by either id, or the endpoint's refusal. */
    private Uni<JsonNode> find(Caller caller, String apiId, int status, String message) {
        return lookup(caller.orgId(), apiId, message)
                .map(
                        found -> {
                            if (found == null) {
                                throw new DashboardException(status, message);
                            }
                            return found;
                        });
    }

    /** An API of the organisation (null: any) by either id, or null. */
    private Uni<ObjectNode> lookup(String orgId, String apiId, String unavailable) {
        return owners.lookup("apis", orgId, apiId, unavailable);
    }

    /** The {@code api_definition} of a wrapper body (§4.1). */
    private static ObjectNode definitionOf(String body) {
        ObjectNode wrapper = TykJson.readObject(body);
        if (wrapper == null || !(wrapper.get("api_definition") instanceof ObjectNode definition)) {
            throw new DashboardException(400, MALFORMED);
        }
        return definition;
    }

    /** admin-service's {@code {key,status,action}} on success; its refusal as the Dashboard's. */
    private static ObjectNode ownerOk(OwnerCalls.Answer answer) {
        ObjectNode result = answer.object();
        if (answer.status() == 200 && result != null) {
            return result;
        }
        String message =
                result == null ? "" : result.path("message").asText("").replaceAll("\\s+$", "");
        throw new DashboardException(
                answer.status() >= 500 ? 500 : 400,
                message.isEmpty() ? "Error while validating schema" : message);
    }

    /** The Dashboard's {@code ApiDefinitionWrapper} of a stored definition (§4.1). */
    /** The list's body: each API's wrapper with its owners, and the page count. */
    private static Response listed(List<JsonNode> items, Map<String, ApiOwners> owned, long pages) {
        ObjectNode out = TykJson.MAPPER.createObjectNode();
        ArrayNode apis = out.putArray("apis");
        items.forEach(
                item -> apis.add(wrapper(item, owned.getOrDefault(apiIdOf(item), ApiOwners.NONE))));
        out.put("pages", pages);
        return Bodies.ok(out);
    }

    private static String apiIdOf(JsonNode item) {
        return item.path("document").path("api_id").asText();
    }

    private static ObjectNode wrapper(JsonNode item, ApiOwners owners) {
        ObjectNode out = TykJson.MAPPER.createObjectNode();
        out.set("api_definition", item.path("document"));
        out.putArray("hook_references");
        out.put("is_site", false);
        out.put("sort_by", 0);
        out.set("user_owners", TykJson.MAPPER.valueToTree(owners.userIds()));
        out.set("user_group_owners", TykJson.MAPPER.valueToTree(owners.userGroupIds()));
        ArrayNode categories = out.putArray("categories");
        ApiCategories.of(item.path("document").path("name").asText("")).forEach(categories::add);
        out.put("created_at", item.path("created_at").asText());
        out.put("updated_at", item.path("updated_at").asText());
        return out;
    }
}
