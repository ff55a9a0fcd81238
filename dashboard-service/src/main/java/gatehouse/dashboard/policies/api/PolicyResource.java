package gatehouse.dashboard.policies.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.http.OwnerCalls;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.access.api.Callers;
import gatehouse.dashboard.access.domain.Caller;
import gatehouse.dashboard.common.api.Bodies;
import gatehouse.dashboard.common.api.DashboardException;
import gatehouse.dashboard.common.domain.ObjectIds;
import gatehouse.dashboard.common.domain.Pagination;
import gatehouse.dashboard.owners.messaging.OwnedApis;
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
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The Dashboard's policies, {@code /api/portal/policies} (DASHBOARD.md §6): admin-service owns them
 * and is their only writer ({@code /tyk/policies}); this resource asks it, within the caller's
 * organisation. Lists are searched, sorted and paged by admin-service in its database ({@code
 * /gatehouse/policies/search}).
 *
 * <p>Ids: {@code _id} is the Dashboard's database id, a new 24-hex ObjectId on every create (the
 * client's is ignored), stored in the policy document; it is what {@code /api/portal/policies/{id}}
 * addresses. {@code id} is the Gateway's policy id (the one keys' {@code apply_policies} name): the
 * client's custom id when it sends one (refused when any organisation's policy has it already),
 * otherwise {@code _id} itself, as {@code POST /tyk/policies} fills an empty {@code id} from {@code
 * _id}. Neither changes on update. A policy written through {@code /tyk/policies} without an {@code
 * _id} is shown with its {@code id} as {@code _id}.
 */
@Path("/api/portal/policies")
public class PolicyResource {

    static final String INVALID_ID = "Invalid policy ID.";
    static final String NOT_FOUND = "Could not retrieve portal object.";
    static final String MALFORMED = "Request body malformed.";
    static final String NAME_USED =
            "This policy name has already been used. Enter a unique policy name.";
    static final String CREATE_FAILED = "Failure creating data, please contact your administrator.";
    static final String SAVE_FAILED = "Failure saving data, please contact your administrator.";
    static final String DELETE_FAILED = "Failure deleting data, please contact your administrator.";
    static final String FOREIGN_API =
            "Policy object validation failed: access_rights names an API that is not in your"
                    + " organisation: ";

    private final Owners owners;
    private final OwnedApis apis;
    private final int pageSize;
    private final Clock clock = Clock.systemUTC();

    PolicyResource(
            Owners owners,
            OwnedApis apis,
            @org.eclipse.microprofile.config.inject.ConfigProperty(
                            name = "gatehouse.dashboard.page-size",
                            defaultValue = "10")
                    int pageSize) {
        this.owners = owners;
        this.apis = apis;
        this.pageSize = pageSize;
    }

    /** {@code GET /api/portal/policies?p=&active=}: {@code {"Data":[...],"Pages":N}}. */
    @GET
    public Uni<Response> list(
            @QueryParam("p") String p,
            @QueryParam("active") String active,
            RoutingContext routing) {
        StringBuilder query = new StringBuilder();
        if (active != null && !active.isEmpty()) {
            query.append("&active=1");
        }
        return page(Callers.of(routing), p, query, "Could not retrieve object list.", 404);
    }

    /** {@code GET /api/portal/policies/search} with §6's query parameters. */
    @GET
    @Path("search")
    public Uni<Response> search(
            @QueryParam("q") String q,
            @QueryParam("policy_ids") String policyIds,
            @QueryParam("active") String active,
            @QueryParam("state") String state,
            @QueryParam("sort") String sort,
            @QueryParam("api_id") String apiIds,
            @QueryParam("p") String p,
            RoutingContext routing) {
        StringBuilder query = new StringBuilder();
        if (policyIds != null && !policyIds.isBlank()) {
            boolean allHex =
                    Arrays.stream(policyIds.split(","))
                            .map(String::trim)
                            .filter(id -> !id.isEmpty())
                            .allMatch(ObjectIds::isValid);
            if (!allHex) {
                throw new DashboardException(400, "Policy ID is not in hex format.");
            }
            query.append("&policy_ids=").append(Owners.param(policyIds));
        } else if (q != null && !q.isEmpty()) {
            query.append("&q=").append(Owners.param(q));
        }
        if (active != null && !active.isEmpty()) {
            query.append("&active=1");
        }
        if (state != null && !state.isEmpty()) {
            query.append("&state=").append(Owners.param(state));
        }
        if (sort != null && !sort.isEmpty()) {
            query.append("&sort=").append(Owners.param(sort));
        }
        if (apiIds != null && !apiIds.isBlank()) {
            query.append("&api_id=").append(Owners.param(apiIds));
        }
        return page(Callers.of(routing), p, query, "Could not retrieve policies.", 404);
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@PathParam("id") String id, RoutingContext routing) {
        return find(Callers.of(routing), id, NOT_FOUND).map(found -> Bodies.ok(view(found)));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(String body, RoutingContext routing) {
        Caller caller = Callers.of(routing);
        ObjectNode policy = Bodies.object(body, MALFORMED);
        String databaseId = ObjectIds.next(clock);
        policy.put("_id", databaseId);
        if (!caller.isSuperUser() || !policy.hasNonNull("org_id")) {
            policy.put("org_id", caller.orgId() == null ? "" : caller.orgId());
        }
        String orgId = policy.path("org_id").asText("");
        String customId = text(policy, "id");
        policy.put("id", customId);
        Instant now = clock.instant();
        policy.put("date_created", now.toString());
        policy.put("last_updated", Long.toString(now.getEpochSecond()));
        Uni<Void> idFree =
                customId.isEmpty()
                        ? Uni.createFrom().voidItem()
                        // any organisation's: POST /tyk/policies would replace another org's policy
                        : lookup(null, customId, CREATE_FAILED)
                                .invoke(
                                        existing -> {
                                            if (existing != null) {
                                                throw new DashboardException(
                                                        400,
                                                        "This policy ID has already been used.");
                                            }
                                        })
                                .replaceWithVoid();
        return idFree.chain(() -> nameFree(orgId, text(policy, "name"), null, CREATE_FAILED))
                .chain(() -> ownApisOnly(orgId, policy, CREATE_FAILED))
                .chain(
                        () ->
                                owners.call(
                                        Owner.ADMIN,
                                        HttpMethod.POST,
                                        "/tyk/policies",
                                        policy,
                                        CREATE_FAILED))
                .map(
                        answer -> {
                            ownerOk(answer, CREATE_FAILED);
                            return Bodies.ok(databaseId, null);
                        });
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(@PathParam("id") String id, String body, RoutingContext routing) {
        Caller caller = Callers.of(routing);
        if (!ObjectIds.isValid(id)) {
            throw new DashboardException(400, INVALID_ID);
        }
        ObjectNode policy = Bodies.object(body, MALFORMED);
        return find(caller, id, NOT_FOUND)
                .chain(
                        found -> {
                            ObjectNode stored = (ObjectNode) found.path("document");
                            String gatewayId = text(stored, "id");
                            // the ids, the organisation and the creation time stay as stored
                            policy.put("_id", text(view(found), "_id"));
                            policy.put("id", gatewayId);
                            policy.set("org_id", stored.get("org_id"));
                            if (stored.has("date_created")) {
                                policy.set("date_created", stored.get("date_created"));
                            }
                            policy.put(
                                    "last_updated",
                                    Long.toString(clock.instant().getEpochSecond()));
                            return nameFree(
                                            text(stored, "org_id"),
                                            text(policy, "name"),
                                            gatewayId,
                                            SAVE_FAILED)
                                    .chain(
                                            () ->
                                                    ownApisOnly(
                                                            text(stored, "org_id"),
                                                            policy,
                                                            SAVE_FAILED))
                                    .chain(
                                            () ->
                                                    owners.call(
                                                            Owner.ADMIN,
                                                            HttpMethod.PUT,
                                                            "/tyk/policies/"
                                                                    + Owners.param(gatewayId),
                                                            policy,
                                                            SAVE_FAILED));
                        })
                .map(
                        answer -> {
                            ownerOk(answer, SAVE_FAILED);
                            return Bodies.ok("Data updated", null);
                        });
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, RoutingContext routing) {
        return find(Callers.of(routing), id, "Could not retrieve object for deletion")
                .chain(
                        found ->
                                owners.call(
                                        Owner.ADMIN,
                                        HttpMethod.DELETE,
                                        "/tyk/policies/"
                                                + Owners.param(
                                                        text(
                                                                (ObjectNode) found.path("document"),
                                                                "id")),
                                        null,
                                        DELETE_FAILED))
                .map(
                        answer -> {
                            if (answer.status() != 200) {
                                throw new DashboardException(500, DELETE_FAILED);
                            }
                            return Bodies.ok("Data deleted", null);
                        });
    }

    private Uni<Response> page(
            Caller caller, String p, StringBuilder query, String failed, int failedStatus) {
        Pagination page = Pagination.of(Bodies.page(p), pageSize);
        StringBuilder path = new StringBuilder("/gatehouse/policies/search?offset=");
        path.append(page.offset()).append("&limit=").append(page.limit());
        if (caller.orgId() != null) {
            path.append("&org_id=").append(Owners.param(caller.orgId()));
        }
        path.append(query);
        return owners.call(Owner.ADMIN, HttpMethod.GET, path.toString(), null, failed)
                .map(
                        answer -> {
                            ObjectNode found = answer.status() == 200 ? answer.object() : null;
                            if (found == null) {
                                throw new DashboardException(failedStatus, failed);
                            }
                            ObjectNode out = TykJson.MAPPER.createObjectNode();
                            ArrayNode data = out.putArray("Data");
                            found.path("items").forEach(item -> data.add(view(item)));
                            out.put("Pages", page.pages(found.path("total").asLong()));
                            return Bodies.ok(out);
                        });
    }

    /** The caller's policy by its {@code _id} (or Gateway id), or the endpoint's refusal. */
    private Uni<JsonNode> find(Caller caller, String id, String notFound) {
        if (!ObjectIds.isValid(id)) {
            throw new DashboardException(400, INVALID_ID);
        }
        return lookup(caller.orgId(), id, notFound)
                .map(
                        found -> {
                            if (found == null) {
                                throw new DashboardException(404, notFound);
                            }
                            return found;
                        });
    }

    /** A policy of the organisation (null: any) by either id, or null. */
    private Uni<ObjectNode> lookup(String orgId, String id, String unavailable) {
        return owners.lookup("policies", orgId, id, unavailable);
    }

    /** Refuses a name another live policy of the organisation has (case-insensitive). */
    private Uni<Void> nameFree(String orgId, String name, String ownGatewayId, String unavailable) {
        if (name.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String path =
                "/gatehouse/policies/named?org_id="
                        + Owners.param(orgId)
                        + "&name="
                        + Owners.param(name);
        return owners.call(Owner.ADMIN, HttpMethod.GET, path, null, unavailable)
                .map(
                        answer -> {
                            ObjectNode other = answerOrNull(answer, unavailable);
                            if (other != null
                                    && !text((ObjectNode) other.path("document"), "id")
                                            .equals(ownGatewayId)) {
                                throw new DashboardException(400, NAME_USED);
                            }
                            return null;
                        });
    }

    /** The policy's {@code access_rights} may name only the organisation's APIs. */
    private Uni<Void> ownApisOnly(String orgId, ObjectNode policy, String unavailable) {
        Set<String> apiIds = new LinkedHashSet<>();
        policy.path("access_rights").fieldNames().forEachRemaining(apiIds::add);
        return apis.requireAll(orgId, apiIds, FOREIGN_API, unavailable);
    }

    private static ObjectNode answerOrNull(OwnerCalls.Answer answer, String unavailable) {
        if (answer.status() == 404) {
            return null;
        }
        ObjectNode found = answer.status() == 200 ? answer.object() : null;
        if (found == null || !found.path("document").isObject()) {
            throw new DashboardException(500, unavailable);
        }
        return found;
    }

    /** admin-service's refusal of a write: its 400 text as a 400, anything else as the 500. */
    private static void ownerOk(OwnerCalls.Answer answer, String failed) {
        if (answer.status() == 200) {
            return;
        }
        ObjectNode result = answer.object();
        String message = result == null ? "" : result.path("message").asText("").strip();
        if (answer.status() == 400 && !message.isEmpty()) {
            throw new DashboardException(400, message);
        }
        throw new DashboardException(500, failed);
    }

    /** A stored policy as the Dashboard shows it: with its {@code _id}. */
    private static ObjectNode view(JsonNode item) {
        ObjectNode policy = ((ObjectNode) item.path("document")).deepCopy();
        if (text(policy, "_id").isEmpty()) {
            policy.put("_id", text(policy, "id"));
        }
        return policy;
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }
}
