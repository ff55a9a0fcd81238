package gatehouse.oauth.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.catalog.ApiCatalog;
import gatehouse.contracts.catalog.PolicyCatalog;
import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.http.ChangeOrigins;
import gatehouse.contracts.http.TykException;
import gatehouse.contracts.http.TykResponses;
import gatehouse.contracts.keys.KeyDigest;
import gatehouse.contracts.tyk.ModifyResult;
import gatehouse.contracts.tyk.StatusMessage;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.oauth.domain.ClientSecrets;
import gatehouse.oauth.domain.OAuthClientValidator;
import gatehouse.oauth.domain.OAuthSettings;
import gatehouse.oauth.domain.OAuthTokens;
import gatehouse.oauth.persistence.OAuthClientEntity;
import gatehouse.oauth.persistence.OAuthGrantEntity;
import gatehouse.oauth.persistence.OAuthStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tyk's OAuth client management under {@code /tyk/oauth} (COMPAT §9.1). Clients are checked against
 * the APIs and policies learned from {@code gatehouse.apis} and {@code gatehouse.policies}.
 */
@Path("/tyk/oauth")
public class OAuthClientResource {

    static final String CLIENT_NOT_FOUND = "OAuth Client ID not found";
    private static final String API_MISSING = "API doesn't exist";
    private static final int PAGE_SIZE = 100;
    private static final String UNMARSHALLING_FAILED = "Unmarshalling failed";

    private final OAuthStore store;
    private final ApiCatalog apis;
    private final PolicyCatalog policies;
    private final ClientSecrets secrets;
    private final KeyDigest digest;
    private final OAuthSettings settings;

    OAuthClientResource(
            OAuthStore store,
            ApiCatalog apis,
            PolicyCatalog policies,
            ClientSecrets secrets,
            KeyDigest digest,
            OAuthSettings settings) {
        this.settings = settings;
        this.store = store;
        this.apis = apis;
        this.policies = policies;
        this.secrets = secrets;
        this.digest = digest;
    }

    /** Tyk's paginated token list, capitalised keys included. */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"Pagination", "Tokens"})
    record TokenPage(
            @com.fasterxml.jackson.annotation.JsonProperty("Pagination") Pagination pagination,
            @com.fasterxml.jackson.annotation.JsonProperty("Tokens")
                    List<Map<String, Object>> tokens) {}

    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"page_num", "page_total", "page_size"})
    record Pagination(
            @com.fasterxml.jackson.annotation.JsonProperty("page_num") int pageNum,
            @com.fasterxml.jackson.annotation.JsonProperty("page_total") int pageTotal,
            @com.fasterxml.jackson.annotation.JsonProperty("page_size") int pageSize) {}

    /**
     * A refusal of {@link OAuthClientValidator} as a 400 in Tyk's envelope, decode failures with
     * Tyk's text.
     */
    private static void checked(Runnable check) {
        try {
            check.run();
        } catch (OAuthClientValidator.InvalidClient e) {
            throw new TykException(
                    400,
                    e.kind() == OAuthClientValidator.Kind.MALFORMED
                            ? UNMARSHALLING_FAILED + ": " + e.getMessage()
                            : e.getMessage());
        }
    }

    private ClientView view(OAuthClientEntity client) {
        return new ClientView(
                client.clientId,
                client.redirectUri,
                null,
                client.policyId,
                secrets.open(client.secretSealed),
                json(client.metaData),
                client.description == null ? "" : client.description);
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? null : TykJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static boolean isOAuth2(ObjectNode api) {
        return api != null && api.path("use_oauth2").asBoolean(false);
    }

    @POST
    @Path("clients/create")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(String body, @Context HttpServerRequest request) {
        ObjectNode sent = TykJson.readObject(body);
        if (sent == null) {
            // Tyk answers 500; a client error is a 400 here, with Tyk's text
            throw new TykException(400, UNMARSHALLING_FAILED);
        }
        checked(() -> OAuthClientValidator.validateCreate(sent, settings.redirectSeparator()));
        String apiId = sent.path("api_id").asText("");
        String policyId = sent.path("policy_id").asText("");
        // the API or policy may have been written a moment ago: seen through its owner until its
        // event arrives
        return targetsOf(apiId, policyId)
                .chain(targets -> saveClient(sent, policyId, targets, request));
    }

    private Uni<List<ObjectNode>> targetsOf(String apiId, String policyId) {
        if (!apiId.isEmpty()) {
            return apis.apiSeeingWrites(apiId)
                    .map(
                            api -> {
                                if (api == null) {
                                    throw new TykException(400, API_MISSING);
                                }
                                if (!isOAuth2(api)) {
                                    throw new TykException(400, "API is not OAuth2");
                                }
                                return List.of(api);
                            });
        }
        return policies.policySeeingWrites(policyId)
                .chain(
                        policy -> {
                            if (policy == null) {
                                throw new TykException(400, "Policy doesn't exist");
                            }
                            List<ObjectNode> targets = new ArrayList<>();
                            Uni<Void> checked = Uni.createFrom().voidItem();
                            for (var it = policy.path("access_rights").fieldNames();
                                    it.hasNext(); ) {
                                String named = it.next();
                                checked =
                                        checked.chain(
                                                () ->
                                                        apis.apiSeeingWrites(named)
                                                                .invoke(
                                                                        api -> {
                                                                            if (api == null) {
                                                                                throw new TykException(
                                                                                        400,
                                                                                        API_MISSING);
                                                                            }
                                                                            if (isOAuth2(api)) {
                                                                                targets.add(api);
                                                                            }
                                                                        })
                                                                .replaceWithVoid());
                            }
                            return checked.map(
                                    done -> {
                                        if (targets.isEmpty()) {
                                            throw new TykException(400, "API is not OAuth2");
                                        }
                                        return targets;
                                    });
                        });
    }

    private Uni<Response> saveClient(
            ObjectNode sent, String policyId, List<ObjectNode> targets, HttpServerRequest request) {
        String clientId = sent.path("client_id").asText("");
        String secret = sent.path("secret").asText("");
        String id = clientId.isEmpty() ? OAuthTokens.clientId() : clientId;
        String clientSecret = secret.isEmpty() ? OAuthTokens.clientSecret() : secret;
        String sealed = secrets.seal(clientSecret);
        ChangeOrigin origin = ChangeOrigins.adminSecret(request);
        Uni<OAuthClientEntity> saved = Uni.createFrom().nullItem();
        for (ObjectNode api : targets) {
            OAuthClientEntity client = new OAuthClientEntity();
            client.apiId = api.path("api_id").asText();
            client.clientId = id;
            client.id = OAuthClientEntity.idOf(client.apiId, id);
            client.orgId = api.path("org_id").asText("");
            client.secretSealed = sealed;
            client.redirectUri = sent.path("redirect_uri").asText("");
            client.policyId = policyId.isEmpty() ? null : policyId;
            client.metaData =
                    sent.hasNonNull("meta_data") ? sent.get("meta_data").toString() : null;
            client.description = sent.path("description").asText("");
            saved = saved.chain(() -> store.saveClient(client, origin));
        }
        return saved.map(client -> TykResponses.ok(view(client)));
    }

    @GET
    @Path("clients/{apiId}")
    public Uni<Response> list(@PathParam("apiId") String apiId) {
        return apis.apiSeeingWrites(apiId)
                .chain(
                        api -> {
                            if (api == null) {
                                // Tyk drops the message: the body is JSON null
                                return Uni.createFrom().item(TykResponses.json(404, null));
                            }
                            if (!isOAuth2(api)) {
                                return Uni.createFrom().item(TykResponses.ok(List.of()));
                            }
                            return store.clientsOf(apiId)
                                    .map(
                                            clients ->
                                                    TykResponses.ok(
                                                            clients.stream()
                                                                    .map(this::view)
                                                                    .toList()));
                        });
    }

    @DELETE
    @Path("clients/{apiId}")
    public Response deleteWithoutClient() {
        throw new TykException(404, CLIENT_NOT_FOUND);
    }

    @GET
    @Path("clients/apis/{clientId}")
    public Uni<Response> apisOf(
            @PathParam("clientId") String clientId, @QueryParam("orgID") String orgId) {
        return store.registrationsOf(clientId)
                .map(
                        registrations ->
                                TykResponses.ok(
                                        registrations.stream()
                                                .filter(
                                                        r ->
                                                                orgId == null
                                                                        || orgId.isEmpty()
                                                                        || orgId.equals(r.orgId))
                                                .map(r -> r.apiId)
                                                .toList()));
    }

    @GET
    @Path("clients/{apiId}/{clientId}")
    public Uni<Response> get(
            @PathParam("apiId") String apiId, @PathParam("clientId") String clientId) {
        return apis.apiSeeingWrites(apiId)
                .chain(
                        api -> {
                            if (api == null) {
                                throw new TykException(404, CLIENT_NOT_FOUND);
                            }
                            return store.findClient(apiId, clientId);
                        })
                .map(
                        client -> {
                            if (client == null) {
                                throw new TykException(404, CLIENT_NOT_FOUND);
                            }
                            return TykResponses.ok(view(client));
                        });
    }

    @PUT
    @Path("clients/{apiId}/{clientId}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(
            @PathParam("apiId") String apiId,
            @PathParam("clientId") String clientId,
            String body,
            @Context HttpServerRequest request) {
        ObjectNode sent = TykJson.readObject(body);
        if (sent == null) {
            throw new TykException(400, UNMARSHALLING_FAILED);
        }
        checked(() -> OAuthClientValidator.validateUpdate(sent, settings.redirectSeparator()));
        ObjectNode api = apis.api(apiId);
        if (api == null) {
            throw new TykException(404, API_MISSING);
        }
        String policyId = sent.path("policy_id").asText("");
        if (!policyId.isEmpty()) {
            ObjectNode policy = policies.policy(policyId);
            if (policy == null
                    || !policy.path("org_id").asText("").equals(api.path("org_id").asText(""))) {
                throw new TykException(404, "Policy doesn't exist");
            }
            if (!policy.path("access_rights").has(apiId)) {
                throw new TykException(
                        400,
                        "Policy access rights doesn't contain API this OAuth client belongs to");
            }
        }
        return store.changeClient(
                        apiId,
                        clientId,
                        client -> {
                            boolean policyChanged =
                                    !policyId.equals(
                                            client.policyId == null ? "" : client.policyId);
                            client.redirectUri = sent.path("redirect_uri").asText("");
                            client.policyId = policyId.isEmpty() ? null : policyId;
                            client.metaData =
                                    sent.hasNonNull("meta_data")
                                            ? sent.get("meta_data").toString()
                                            : null;
                            client.description = sent.path("description").asText("");
                            return policyChanged;
                        },
                        ChangeOrigins.adminSecret(request))
                .map(
                        client -> {
                            if (client == null) {
                                throw new TykException(404, CLIENT_NOT_FOUND);
                            }
                            return TykResponses.ok(view(client));
                        });
    }

    @PUT
    @Path("clients/{apiId}/{clientId}/rotate")
    public Uni<Response> rotate(
            @PathParam("apiId") String apiId,
            @PathParam("clientId") String clientId,
            @Context HttpServerRequest request) {
        if (apis.api(apiId) == null) {
            throw new TykException(404, API_MISSING);
        }
        String sealed = secrets.seal(OAuthTokens.clientSecret());
        return store.changeClient(
                        apiId,
                        clientId,
                        client -> {
                            client.secretSealed = sealed;
                            return false;
                        },
                        ChangeOrigins.adminSecret(request))
                .map(
                        client -> {
                            if (client == null) {
                                throw new TykException(404, CLIENT_NOT_FOUND);
                            }
                            return TykResponses.ok(view(client));
                        });
    }

    @DELETE
    @Path("clients/{apiId}/{clientId}")
    public Uni<Response> delete(
            @PathParam("apiId") String apiId,
            @PathParam("clientId") String clientId,
            @Context HttpServerRequest request) {
        if (!isOAuth2(apis.api(apiId))) {
            throw new TykException(404, CLIENT_NOT_FOUND);
        }
        // Tyk answers "deleted" whether or not the client existed
        return store.deleteClient(apiId, clientId, ChangeOrigins.adminSecret(request))
                .map(ignored -> TykResponses.ok(ModifyResult.deleted(clientId)));
    }

    @GET
    @Path("clients/{apiId}/{clientId}/tokens")
    public Uni<Response> tokens(
            @PathParam("apiId") String apiId,
            @PathParam("clientId") String clientId,
            @QueryParam("page") String page) {
        if (apis.api(apiId) == null) {
            throw new TykException(404, CLIENT_NOT_FOUND);
        }
        return store.tokensOf(apiId, clientId, Instant.now().getEpochSecond())
                .map(
                        tokens -> {
                            List<Map<String, Object>> all =
                                    tokens.stream()
                                            .map(
                                                    t -> {
                                                        Map<String, Object> token =
                                                                new LinkedHashMap<>();
                                                        token.put("code", t.keyHash);
                                                        token.put("expires", t.expiresAt);
                                                        return token;
                                                    })
                                            .toList();
                            if (page == null) {
                                return TykResponses.ok(all);
                            }
                            int number;
                            try {
                                number = Math.max(1, Integer.parseInt(page));
                            } catch (NumberFormatException e) {
                                number = 1;
                            }
                            int total = Math.max(1, (all.size() + PAGE_SIZE - 1) / PAGE_SIZE);
                            int from = Math.min(all.size(), (number - 1) * PAGE_SIZE);
                            return TykResponses.ok(
                                    new TokenPage(
                                            new Pagination(number, total, PAGE_SIZE),
                                            all.subList(
                                                    from, Math.min(all.size(), from + PAGE_SIZE))));
                        });
    }

    @DELETE
    @Path("refresh/{token}")
    public Uni<Response> invalidateRefresh(
            @PathParam("token") String token, @QueryParam("api_id") String apiId) {
        if (apiId == null || apiId.isEmpty()) {
            throw new TykException(400, "Missing parameter api_id");
        }
        ObjectNode api = apis.api(apiId);
        if (api == null) {
            throw new TykException(404, "API for this refresh token not found");
        }
        if (!isOAuth2(api)) {
            throw new TykException(400, "OAuth is not enabled on this API");
        }
        return store.findGrant(digest.of(token))
                .flatMap(
                        grant ->
                                grant == null
                                                || !OAuthGrantEntity.REFRESH.equals(grant.kind)
                                                || !apiId.equals(grant.apiId)
                                        ? Uni.createFrom().item(false)
                                        : store.deleteGrant(grant.digest))
                .map(ignored -> TykResponses.ok(ModifyResult.deleted(token)));
    }

    @DELETE
    @Path("tokens")
    public Uni<Response> purge(
            @QueryParam("scope") String scope, @Context HttpServerRequest request) {
        if (scope == null || scope.isEmpty()) {
            throw new TykException(422, "scope parameter is required");
        }
        if (!"lapsed".equals(scope)) {
            throw new TykException(400, "unknown scope");
        }
        return store.purgeLapsed(Instant.now().getEpochSecond(), ChangeOrigins.adminSecret(request))
                .map(purged -> TykResponses.ok(StatusMessage.ok("lapsed tokens purged")));
    }

    @POST
    @Path("revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> revoke(
            @FormParam("token") String token,
            @FormParam("token_type_hint") String hint,
            @FormParam("client_id") String clientId,
            @FormParam("org_id") String orgId,
            @Context HttpServerRequest request) {
        if (token == null || token.isEmpty()) {
            throw new TykException(400, "token is required");
        }
        if (clientId == null || clientId.isEmpty()) {
            throw new TykException(400, "client_id is required");
        }
        ChangeOrigin origin = ChangeOrigins.adminSecret(request);
        return store.registrationsOf(clientId)
                .flatMap(
                        registrations -> {
                            if (registrations.isEmpty()) {
                                throw new TykException(400, "oauth client doesn't exist");
                            }
                            String tokenDigest = digest.of(token);
                            Uni<Boolean> revoked =
                                    "refresh_token".equals(hint)
                                            ? store.deleteGrant(tokenDigest)
                                            : store.revokeToken(tokenDigest, origin)
                                                    .flatMap(
                                                            done ->
                                                                    done
                                                                            ? Uni.createFrom()
                                                                                    .item(true)
                                                                            : store.deleteGrant(
                                                                                    tokenDigest));
                            return revoked.map(
                                    ignored ->
                                            TykResponses.ok(
                                                    StatusMessage.ok(
                                                            "token revoked successfully")));
                        });
    }

    @POST
    @Path("revoke_all")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> revokeAll(
            @FormParam("client_id") String clientId,
            @FormParam("client_secret") String clientSecret,
            @FormParam("org_id") String orgId,
            @Context HttpServerRequest request) {
        if (clientId == null || clientId.isEmpty()) {
            throw new TykException(401, "client_id is required");
        }
        if (clientSecret == null || clientSecret.isEmpty()) {
            throw new TykException(401, "client_secret is required");
        }
        ChangeOrigin origin = ChangeOrigins.adminSecret(request);
        return store.registrationsOf(clientId)
                .flatMap(
                        registrations -> {
                            if (registrations.isEmpty()) {
                                throw new TykException(404, "oauth client doesn't exist");
                            }
                            // as on Tyk: a wrong secret revokes nothing on that API, and the answer
                            // is still "ok"
                            var matching =
                                    registrations.stream()
                                            .filter(
                                                    r ->
                                                            secrets.matches(
                                                                    clientSecret, r.secretSealed))
                                            .toList();
                            Uni<Void> all = Uni.createFrom().voidItem();
                            for (OAuthClientEntity client : matching) {
                                all =
                                        all.chain(
                                                () ->
                                                        store.revokeClientTokens(
                                                                client.apiId,
                                                                client.clientId,
                                                                origin));
                            }
                            return all.map(
                                    ignored ->
                                            TykResponses.ok(
                                                    StatusMessage.ok(
                                                            "tokens revoked successfully")));
                        });
    }
}
