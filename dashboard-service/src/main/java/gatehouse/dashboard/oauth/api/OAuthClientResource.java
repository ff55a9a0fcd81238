package gatehouse.dashboard.oauth.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.http.OwnerCalls;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.access.api.Callers;
import gatehouse.dashboard.common.api.Bodies;
import gatehouse.dashboard.common.api.DashboardException;
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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Dashboard's OAuth clients of an API, {@code /api/apis/oauth/{apiId}} (DASHBOARD.md §7):
 * oauth-service owns them and is their only writer; this resource asks its Gateway API ({@code
 * /tyk/oauth/clients/...}) once admin-service has confirmed the API (either id) is the caller's
 * organisation's. Clients are shown as the Gateway API shows them, the secret included
 * (oauth-service keeps it sealed and opens it for that answer, as Tyk shows it again).
 */
@Path("/api/apis/oauth/{apiId}")
public class OAuthClientResource {

    /** §7 spells the missing API two ways, per endpoint. */
    static final String API_MISSING = "API Reference not found.";

    static final String API_MISSING_LOWER = "API reference not found.";
    static final String APP_MISSING = "Could not retrieve app detail.";

    private final Owners owners;
    private final OwnedApis apis;

    OAuthClientResource(Owners owners, OwnedApis apis) {
        this.owners = owners;
        this.apis = apis;
    }

    /** {@code {"apps":[...],"pages":1}}: oauth-service lists an API's clients whole. */
    @GET
    public Uni<Response> list(@PathParam("apiId") String apiId, RoutingContext routing) {
        String failed = "Could not retrieve apps list.";
        return publicId(routing, apiId, API_MISSING, failed)
                .chain(id -> oauth(HttpMethod.GET, "/tyk/oauth/clients/" + id, null, failed))
                .map(
                        answer -> {
                            if (answer.status() == 404) {
                                throw new DashboardException(404, failed);
                            }
                            JsonNode apps = answer.status() == 200 ? json(answer) : null;
                            if (apps == null || !apps.isArray()) {
                                throw new DashboardException(
                                        500, "Failed to unmarshal key data from Tyk API.");
                            }
                            ObjectNode out = TykJson.MAPPER.createObjectNode();
                            out.set("apps", apps);
                            out.put("pages", 1);
                            return Bodies.ok(out);
                        });
    }

    /**
     * A new client of the API: oauth-service generates the {@code client_id} (32 hex) and {@code
     * secret} unless sent; a {@code policy_id} must be a policy of the API's organisation.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(
            @PathParam("apiId") String apiId, String body, RoutingContext routing) {
        ObjectNode client = Bodies.object(body, "Request body malformed.");
        String policyFailed = "Could not retrieve policy details.";
        return apis.definition(Callers.of(routing).orgId(), apiId, API_MISSING_LOWER)
                .chain(
                        api -> {
                            if (api == null) {
                                throw new DashboardException(400, API_MISSING_LOWER);
                            }
                            client.put("api_id", api.path("api_id").asText());
                            String policyId = client.path("policy_id").asText("");
                            if (policyId.isEmpty()) {
                                return Uni.createFrom().voidItem();
                            }
                            String path =
                                    "/gatehouse/policies/lookup/"
                                            + Owners.param(policyId)
                                            + "?org_id="
                                            + Owners.param(api.path("org_id").asText(""));
                            return owners.call(
                                            Owner.ADMIN, HttpMethod.GET, path, null, policyFailed)
                                    .invoke(
                                            answer -> {
                                                if (answer.status() != 200) {
                                                    throw new DashboardException(500, policyFailed);
                                                }
                                            })
                                    .replaceWithVoid();
                        })
                .chain(
                        () ->
                                oauth(
                                        HttpMethod.POST,
                                        "/tyk/oauth/clients/create",
                                        client,
                                        "Failed to create OAuth client."))
                .map(
                        answer -> {
                            JsonNode created = json(answer);
                            if (answer.status() == 200 && created != null && created.isObject()) {
                                return Bodies.ok(created);
                            }
                            // oauth-service's refusal (e.g. API is not OAuth2), in its words
                            String message =
                                    created == null
                                            ? ""
                                            : created.path("message").asText("").strip();
                            throw new DashboardException(
                                    answer.status() >= 500 || message.isEmpty() ? 500 : 400,
                                    message.isEmpty() ? "Failed to create OAuth client." : message);
                        });
    }

    @GET
    @Path("{clientId}")
    public Uni<Response> get(
            @PathParam("apiId") String apiId,
            @PathParam("clientId") String clientId,
            RoutingContext routing) {
        return publicId(routing, apiId, API_MISSING_LOWER, APP_MISSING)
                .chain(id -> client(id, clientId, APP_MISSING))
                .map(Bodies::ok);
    }

    @DELETE
    @Path("{clientId}")
    public Uni<Response> delete(
            @PathParam("apiId") String apiId,
            @PathParam("clientId") String clientId,
            RoutingContext routing) {
        String failed = "Could not remove app.";
        return publicId(routing, apiId, API_MISSING, failed)
                .chain(
                        id ->
                                // oauth-service answers "deleted" for a client it never had
                                client(id, clientId, APP_MISSING)
                                        .chain(
                                                found ->
                                                        oauth(
                                                                HttpMethod.DELETE,
                                                                clientPath(id, clientId),
                                                                null,
                                                                failed)))
                .map(
                        answer -> {
                            if (answer.status() != 200) {
                                throw new DashboardException(500, failed);
                            }
                            return Bodies.ok("OAuth client deleted successfully.", null);
                        });
    }

    /** The client's live tokens, a bare array of {@code {code,expires}}. */
    @GET
    @Path("{clientId}/tokens")
    public Uni<Response> tokens(
            @PathParam("apiId") String apiId,
            @PathParam("clientId") String clientId,
            RoutingContext routing) {
        String missing = "Could not retrieve tokens.";
        return publicId(routing, apiId, API_MISSING, missing)
                .chain(
                        id ->
                                client(id, clientId, missing)
                                        .chain(
                                                found ->
                                                        oauth(
                                                                HttpMethod.GET,
                                                                clientPath(id, clientId)
                                                                        + "/tokens",
                                                                null,
                                                                missing)))
                .map(
                        answer -> {
                            if (answer.status() == 404) {
                                throw new DashboardException(404, missing);
                            }
                            JsonNode tokens = answer.status() == 200 ? json(answer) : null;
                            if (tokens == null || !tokens.isArray()) {
                                throw new DashboardException(
                                        500, "Failed to unmarshal tokens data from Tyk API.");
                            }
                            return Bodies.ok(tokens);
                        });
    }

    /** The API's public id, encoded for a path, when it is the caller's organisation's. */
    private Uni<String> publicId(
            RoutingContext routing, String apiId, String missing, String unavailable) {
        return apis.definition(Callers.of(routing).orgId(), apiId, unavailable)
                .map(
                        api -> {
                            if (api == null) {
                                throw new DashboardException(400, missing);
                            }
                            return Owners.param(api.path("api_id").asText());
                        });
    }

    /** The API's client as oauth-service shows it, or the endpoint's 404. */
    private Uni<JsonNode> client(String encodedApiId, String clientId, String missing) {
        return oauth(HttpMethod.GET, clientPath(encodedApiId, clientId), null, missing)
                .map(
                        answer -> {
                            if (answer.status() == 404) {
                                throw new DashboardException(404, missing);
                            }
                            JsonNode found = answer.status() == 200 ? json(answer) : null;
                            if (found == null || !found.isObject()) {
                                throw new DashboardException(
                                        500, "Failed to unmarshal app data from Tyk API.");
                            }
                            return found;
                        });
    }

    private Uni<OwnerCalls.Answer> oauth(
            HttpMethod method, String path, ObjectNode body, String unavailable) {
        return owners.call(Owner.OAUTH, method, path, body, unavailable);
    }

    private static String clientPath(String encodedApiId, String clientId) {
        return "/tyk/oauth/clients/" + encodedApiId + "/" + Owners.param(clientId);
    }

    private static JsonNode json(OwnerCalls.Answer answer) {
        try {
            return answer.body() == null ? null : TykJson.MAPPER.readTree(answer.body());
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
