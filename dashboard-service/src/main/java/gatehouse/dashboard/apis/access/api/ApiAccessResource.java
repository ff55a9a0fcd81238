package gatehouse.dashboard.apis.access.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.access.api.Callers;
import gatehouse.dashboard.apis.access.domain.ApiOwners;
import gatehouse.dashboard.apis.access.persistence.ApiAccessStore;
import gatehouse.dashboard.common.api.Bodies;
import gatehouse.dashboard.common.api.DashboardException;
import gatehouse.dashboard.owners.messaging.OwnedApis;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Who owns an API, {@code /api/apis/{apiID}/access} (DASHBOARD.md §4.7): the users and user groups
 * of the API's organisation, stored by dashboard-service (they are its facts); the API itself, by
 * either id, must be the caller's organisation's in admin-service. A PUT replaces both lists; an id
 * that is no user (or group) of the organisation is refused and nothing is stored.
 */
@Path("/api/apis/{apiId}/access")
public class ApiAccessResource {

    static final String API_NOT_FOUND = "API not found";

    /** Tyk's text for a body it cannot read, a copy-paste slip kept for parity (§11.7). */
    static final String UNREADABLE = "failed to unmarshal categories payload";

    private final OwnedApis apis;
    private final ApiAccessStore store;

    ApiAccessResource(OwnedApis apis, ApiAccessStore store) {
        this.apis = apis;
        this.store = store;
    }

    /** {@code {"userIds":[...],"userGroupIds":[...]}}. */
    @GET
    public Uni<Response> get(@PathParam("apiId") String apiId, RoutingContext routing) {
        return publicId(routing, apiId, "failed to marshal ownership payload")
                .chain(store::ownersOf)
                .map(
                        owners -> {
                            ObjectNode out = TykJson.MAPPER.createObjectNode();
                            owners.userIds().forEach(out.putArray("userIds")::add);
                            owners.userGroupIds().forEach(out.putArray("userGroupIds")::add);
                            return Bodies.ok(out);
                        });
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> replace(
            @PathParam("apiId") String apiId, String body, RoutingContext routing) {
        ObjectNode sent = TykJson.readObject(body);
        if (sent == null) {
            throw new DashboardException(500, UNREADABLE);
        }
        ApiOwners owners = new ApiOwners(ids(sent.get("userIds")), ids(sent.get("userGroupIds")));
        return apis.definition(Callers.of(routing).orgId(), apiId, UNREADABLE)
                .chain(
                        api -> {
                            if (api == null) {
                                throw new DashboardException(404, API_NOT_FOUND);
                            }
                            return store.replace(
                                    api.path("api_id").asText(),
                                    api.path("org_id").asText(""),
                                    owners);
                        })
                .map(
                        strangers -> {
                            if (!strangers.userIds().isEmpty()) {
                                throw new DashboardException(
                                        400, "User " + strangers.userIds().get(0) + " not found.");
                            }
                            if (!strangers.userGroupIds().isEmpty()) {
                                throw new DashboardException(
                                        400,
                                        "User group "
                                                + strangers.userGroupIds().get(0)
                                                + " not found.");
                            }
                            return Bodies.ok("API access updated", null);
                        });
    }

    private Uni<String> publicId(RoutingContext routing, String apiId, String unavailable) {
        return apis.definition(Callers.of(routing).orgId(), apiId, unavailable)
                .map(
                        api -> {
                            if (api == null) {
                                throw new DashboardException(404, API_NOT_FOUND);
                            }
                            return api.path("api_id").asText();
                        });
    }

    /** A list of ids: absent or null is none; anything but an array of strings is unreadable. */
    private static List<String> ids(JsonNode value) {
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw new DashboardException(500, UNREADABLE);
        }
        for (JsonNode id : value) {
            if (!id.isTextual()) {
                throw new DashboardException(500, UNREADABLE);
            }
            out.add(id.asText());
        }
        return out;
    }
}
