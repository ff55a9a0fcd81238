package gatehouse.oauth.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.catalog.ApiCatalog;
import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.http.ChangeOrigins;
import gatehouse.contracts.http.TykException;
import gatehouse.contracts.http.TykResponses;
import gatehouse.contracts.keys.KeyDigest;
import gatehouse.contracts.keys.TykKeys;
import gatehouse.contracts.tyk.StatusMessage;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.oauth.domain.ClientSecrets;
import gatehouse.oauth.domain.OAuthSettings;
import gatehouse.oauth.domain.OAuthTokens;
import gatehouse.oauth.domain.OsinErrors;
import gatehouse.oauth.domain.OsinErrors.OAuthError;
import gatehouse.oauth.domain.RedirectUris;
import gatehouse.oauth.messaging.KeyChangeNotifier;
import gatehouse.oauth.messaging.PasswordUsers;
import gatehouse.oauth.persistence.OAuthClientEntity;
import gatehouse.oauth.persistence.OAuthGrantEntity;
import gatehouse.oauth.persistence.OAuthStore;
import gatehouse.oauth.persistence.OAuthTokenEntity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each OAuth2 API's own endpoints (COMPAT §9.2), which the gateway forwards here from {@code
 * {listen_path}/oauth/...}: the authorise redirect, the resource owner's approval ({@code
 * /tyk/oauth/authorize-client}, admin secret), and the token endpoint with osin's grants and error
 * bodies.
 */
@Path("/oauth-api/{apiId}")
public class OAuthFlowResource {

    private static final Map<String, String> SECURITY_HEADERS =
            Map.of(
                    "X-Content-Type-Options", "nosniff",
                    "X-XSS-Protection", "1; mode=block",
                    "X-Frame-Options", "DENY",
                    "Strict-Transport-Security", "max-age=63072000; includeSubDomains",
                    "Cache-Control", "no-cache, no-store, must-revalidate",
                    "Pragma", "no-cache",
                    "Expires", "0");

    private final OAuthStore store;
    private final ApiCatalog apis;
    private final ClientSecrets secrets;
    private final KeyDigest digest;
    private final OAuthSettings settings;
    private final PasswordUsers users;
    private final KeyChangeNotifier notifier;

    OAuthFlowResource(
            OAuthStore store,
            ApiCatalog apis,
            ClientSecrets secrets,
            KeyDigest digest,
            OAuthSettings settings,
            PasswordUsers users,
            KeyChangeNotifier notifier) {
        this.store = store;
        this.apis = apis;
        this.secrets = secrets;
        this.digest = digest;
        this.settings = settings;
        this.users = users;
        this.notifier = notifier;
    }

    private ObjectNode oauthApi(String apiId) {
        ObjectNode api = apis.api(apiId);
        if (api == null || !api.path("use_oauth2").asBoolean(false)) {
            throw new OAuthError(OsinErrors.SERVER_ERROR);
        }
        return api;
    }

    private static boolean allowed(ObjectNode api, String list, String value) {
        JsonNode allowedTypes = api.path("oauth_meta").path(list);
        if (!allowedTypes.isArray() || allowedTypes.isEmpty()) {
            return false;
        }
        for (JsonNode type : allowedTypes) {
            if (type.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String first(MultivaluedMap<String, String> form, String name) {
        String value = form == null ? null : form.getFirst(name);
        return value == null ? "" : value;
    }

    // ---- /oauth/authorize

    @GET
    @Path("oauth/authorize{slash:/?}")
    public Uni<Response> authorizeGet(
            @PathParam("apiId") String apiId, @Context HttpServerRequest request) {
        MultivaluedMap<String, String> query = new jakarta.ws.rs.core.MultivaluedHashMap<>();
        request.params().forEach(e -> query.add(e.getKey(), e.getValue()));
        String raw = request.query();
        return authorize(apiId, query, raw == null ? "" : "?" + raw);
    }

    @POST
    @Path("oauth/authorize{slash:/?}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> authorizePost(
            @PathParam("apiId") String apiId, MultivaluedMap<String, String> form) {
        return authorize(apiId, form, "");
    }

    private Uni<Response> authorize(
            String apiId, MultivaluedMap<String, String> params, String forwardedQuery) {
        ObjectNode api = apis.api(apiId);
        if (api == null || !api.path("use_oauth2").asBoolean(false)) {
            return Uni.createFrom().item(authorizeError(OsinErrors.SERVER_ERROR));
        }
        String responseType = first(params, "response_type");
        if (!allowed(api, "allowed_authorize_types", responseType)) {
            return Uni.createFrom().item(authorizeError(OsinErrors.UNSUPPORTED_RESPONSE_TYPE));
        }
        return store.findClient(apiId, first(params, "client_id"))
                .map(
                        client -> {
                            if (client == null
                                    || client.redirectUri == null
                                    || client.redirectUri.isEmpty()) {
                                return authorizeError(OsinErrors.UNAUTHORIZED_CLIENT);
                            }
                            if (RedirectUris.match(
                                            client.redirectUri,
                                            settings.redirectSeparator(),
                                            first(params, "redirect_uri"),
                                            settings.redirectMode())
                                    == null) {
                                return authorizeError(OsinErrors.INVALID_REQUEST);
                            }
                            String login =
                                    api.path("oauth_meta").path("auth_login_redirect").asText("");
                            return Response.status(307)
                                    .header("Location", login + forwardedQuery)
                                    .build();
                        });
    }

    private Response authorizeError(String code) {
        return Response.status(settings.errorStatus())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(TykJson.encode(StatusMessage.error(OsinErrors.describe(code))))
                .build();
    }

    // ---- /tyk/oauth/authorize-client (the admin secret is checked by the shared filter)

    @POST
    @Path("tyk/oauth/authorize-client")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> authorizeClient(
            @PathParam("apiId") String apiId,
            MultivaluedMap<String, String> form,
            @Context HttpServerRequest request) {
        String state = first(form, "state");
        ObjectNode api;
        try {
            api = oauthApi(apiId);
        } catch (OAuthError e) {
            return Uni.createFrom().item(approvalError(e.code(), state, null));
        }
        String responseType = first(form, "response_type");
        if (!allowed(api, "allowed_authorize_types", responseType)) {
            return Uni.createFrom()
                    .item(approvalError(OsinErrors.UNSUPPORTED_RESPONSE_TYPE, state, null));
        }
        ChangeOrigin origin = ChangeOrigins.adminSecret(request);
        return store.findClient(apiId, first(form, "client_id"))
                .flatMap(
                        client -> {
                            if (client == null) {
                                // Tyk's storage reports an unknown client as an error, not as "not
                                // found"
                                return Uni.createFrom()
                                        .item(approvalError(OsinErrors.SERVER_ERROR, state, null));
                            }
                            if (client.redirectUri == null || client.redirectUri.isEmpty()) {
                                return Uni.createFrom()
                                        .item(
                                                approvalError(
                                                        OsinErrors.UNAUTHORIZED_CLIENT,
                                                        state,
                                                        null));
                            }
                            String redirect =
                                    RedirectUris.match(
                                            client.redirectUri,
                                            settings.redirectSeparator(),
                                            first(form, "redirect_uri"),
                                            settings.redirectMode());
                            if (redirect == null) {
                                return Uni.createFrom()
                                        .item(
                                                approvalError(
                                                        OsinErrors.INVALID_REQUEST, state, null));
                            }
                            ObjectNode session = sessionFor(api, client, first(form, "key_rules"));
                            if (session == null) {
                                return Uni.createFrom()
                                        .item(
                                                approvalError(
                                                        OsinErrors.INVALID_REQUEST,
                                                        state,
                                                        redirect));
                            }
                            long now = Instant.now().getEpochSecond();
                            if ("code".equals(responseType)) {
                                String code = OAuthTokens.code();
                                OAuthGrantEntity grant =
                                        grant(
                                                OAuthGrantEntity.CODE,
                                                code,
                                                client,
                                                redirect,
                                                first(form, "scope"),
                                                session,
                                                null,
                                                now + settings.codeExpire());
                                return store.saveGrant(grant)
                                        .map(
                                                saved -> {
                                                    Map<String, Object> body = new TreeMap<>();
                                                    body.put("code", code);
                                                    body.put(
                                                            "redirect_to",
                                                            redirect
                                                                    + (redirect.contains("?")
                                                                            ? "&"
                                                                            : "?")
                                                                    + "code="
                                                                    + encode(code)
                                                                    + (state.isEmpty()
                                                                            ? ""
                                                                            : "&state="
                                                                                    + encode(
                                                                                            state)));
                                                    if (!state.isEmpty()) {
                                                        body.put("state", state);
                                                    }
                                                    return approval(body);
                                                });
                            }
                            String token =
                                    OAuthTokens.accessToken(
                                            orgOf(api, session), settings.hashKeyFunction());
                            OAuthTokenEntity entity = token(token, client, session, now);
                            return store.issue(entity, null, null, null, origin)
                                    .map(
                                            issued -> {
                                                Map<String, Object> body = new TreeMap<>();
                                                body.put("access_token", token);
                                                body.put("expires_in", settings.tokenExpire());
                                                body.put("token_type", "bearer");
                                                body.put(
                                                        "redirect_to",
                                                        redirect
                                                                + "#access_token="
                                                                + encode(token)
                                                                + "&expires_in="
                                                                + settings.tokenExpire()
                                                                + (state.isEmpty()
                                                                        ? ""
                                                                        : "&state=" + encode(state))
                                                                + "&token_type=bearer");
                                                if (!state.isEmpty()) {
                                                    body.put("state", state);
                                                }
                                                return approval(body);
                                            });
                        });
    }

    private static Response approval(Map<String, Object> body) {
        // Tyk sets no Content-Type here; Go sniffs the JSON text as text/plain
        return Response.ok(TykJson.encode(body), "text/plain; charset=utf-8").build();
    }

    private Response approvalError(String code, String state, String redirect) {
        Map<String, Object> body = new TreeMap<>();
        body.put("error", code);
        body.put("error_description", OsinErrors.describe(code));
        if (state != null && !state.isEmpty()) {
            body.put("state", state);
        }
        if (redirect != null) {
            body.put("redirect_to", redirect);
        }
        return Response.status(settings.errorStatus())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(TykJson.encode(body))
                .build();
    }

    // ---- /oauth/token

    @GET
    @Path("oauth/token{slash:/?}")
    public Response tokenGet() {
        // osin refuses access requests by GET
        return tokenError(OsinErrors.INVALID_REQUEST);
    }

    @POST
    @Path("oauth/token{slash:/?}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> token(
            @PathParam("apiId") String apiId, String body, @Context HttpServerRequest request) {
        MultivaluedMap<String, String> form = formOf(body, request.getHeader("Content-Type"));
        ObjectNode api;
        try {
            api = oauthApi(apiId);
        } catch (OAuthError e) {
            return Uni.createFrom().item(tokenError(e.code()));
        }
        String grantType = first(form, "grant_type");
        if (grantType.isEmpty()) {
            return Uni.createFrom().item(tokenError(OsinErrors.INVALID_REQUEST));
        }
        if (!allowed(api, "allowed_access_types", grantType)) {
            return Uni.createFrom().item(tokenError(OsinErrors.UNSUPPORTED_GRANT_TYPE));
        }
        String[] credentials = basicCredentials(request.getHeader("Authorization"));
        if (credentials == null) {
            return Uni.createFrom().item(tokenError(OsinErrors.INVALID_REQUEST));
        }
        ChangeOrigin origin = new ChangeOrigin("oauth-client:" + credentials[0], null, null);
        return store.findClient(apiId, credentials[0])
                .flatMap(
                        client -> {
                            if (client == null
                                    || !secrets.matches(credentials[1], client.secretSealed)
                                    || client.redirectUri == null
                                    || client.redirectUri.isEmpty()) {
                                return Uni.createFrom()
                                        .item(tokenError(OsinErrors.UNAUTHORIZED_CLIENT));
                            }
                            return switch (grantType) {
                                case "authorization_code" ->
                                        exchangeCode(api, client, form, origin);
                                case "refresh_token" -> refresh(api, client, form, origin);
                                case "client_credentials" ->
                                        clientCredentials(api, client, form, origin);
                                case "password" -> password(api, client, form, origin);
                                default ->
                                        Uni.createFrom()
                                                .item(
                                                        tokenError(
                                                                OsinErrors.UNSUPPORTED_GRANT_TYPE));
                            };
                        })
                .onFailure(OAuthError.class)
                .recoverWithItem(e -> tokenError(((OAuthError) e).code()));
    }

    private Uni<Response> exchangeCode(
            ObjectNode api,
            OAuthClientEntity client,
            MultivaluedMap<String, String> form,
            ChangeOrigin origin) {
        String code = first(form, "code");
        if (code.isEmpty()) {
            return Uni.createFrom().item(tokenError(OsinErrors.INVALID_GRANT));
        }
        long now = Instant.now().getEpochSecond();
        return store.findGrant(digest.of(code))
                .flatMap(
                        grant -> {
                            if (grant == null
                                    || !OAuthGrantEntity.CODE.equals(grant.kind)
                                    || grant.expiresAt <= now
                                    || !grant.clientId.equals(client.clientId)
                                    || !grant.apiId.equals(client.apiId)) {
                                return Uni.createFrom().item(tokenError(OsinErrors.INVALID_GRANT));
                            }
                            String asked = first(form, "redirect_uri");
                            String redirect =
                                    asked.isEmpty()
                                            ? RedirectUris.match(
                                                    client.redirectUri,
                                                    settings.redirectSeparator(),
                                                    "",
                                                    settings.redirectMode())
                                            : asked;
                            if (!redirect.equals(grant.redirectUri)) {
                                return Uni.createFrom()
                                        .item(tokenError(OsinErrors.INVALID_REQUEST));
                            }
                            return issue(
                                    api,
                                    client,
                                    readSession(grant.session),
                                    grant.scope,
                                    true,
                                    grant.digest,
                                    null,
                                    origin,
                                    "new",
                                    code,
                                    null);
                        });
    }

    private Uni<Response> refresh(
            ObjectNode api,
            OAuthClientEntity client,
            MultivaluedMap<String, String> form,
            ChangeOrigin origin) {
        String refreshToken = first(form, "refresh_token");
        if (refreshToken.isEmpty()) {
            return Uni.createFrom().item(tokenError(OsinErrors.INVALID_REQUEST));
        }
        long now = Instant.now().getEpochSecond();
        return store.findGrant(digest.of(refreshToken))
                .flatMap(
                        grant -> {
                            if (grant == null
                                    || !OAuthGrantEntity.REFRESH.equals(grant.kind)
                                    || grant.expiresAt <= now
                                    || !grant.apiId.equals(client.apiId)) {
                                return Uni.createFrom().item(tokenError(OsinErrors.INVALID_GRANT));
                            }
                            if (!grant.clientId.equals(client.clientId)) {
                                return Uni.createFrom().item(tokenError(OsinErrors.INVALID_CLIENT));
                            }
                            String scope = first(form, "scope");
                            return issue(
                                    api,
                                    client,
                                    readSession(grant.session),
                                    scope.isEmpty() ? grant.scope : scope,
                                    true,
                                    grant.digest,
                                    grant.accessDigest,
                                    origin,
                                    "refresh",
                                    null,
                                    refreshToken);
                        });
    }

    private Uni<Response> clientCredentials(
            ObjectNode api,
            OAuthClientEntity client,
            MultivaluedMap<String, String> form,
            ChangeOrigin origin) {
        ObjectNode session = sessionFor(api, client, "");
        return issue(
                api,
                client,
                session,
                first(form, "scope"),
                false,
                null,
                null,
                origin,
                "new",
                null,
                null);
    }

    private Uni<Response> password(
            ObjectNode api,
            OAuthClientEntity client,
            MultivaluedMap<String, String> form,
            ChangeOrigin origin) {
        String username = first(form, "username");
        String password = first(form, "password");
        if (username.isEmpty() || password.isEmpty()) {
            return Uni.createFrom().item(tokenError(OsinErrors.INVALID_GRANT));
        }
        return users.verify(api.path("org_id").asText(""), username, password)
                .flatMap(
                        user -> {
                            if (user == null) {
                                return Uni.createFrom().item(tokenError(OsinErrors.ACCESS_DENIED));
                            }
                            user.remove("basic_auth_data");
                            return issue(
                                    api,
                                    client,
                                    user,
                                    first(form, "scope"),
                                    true,
                                    null,
                                    null,
                                    origin,
                                    "new",
                                    null,
                                    null);
                        });
    }

    /** Issues an access token (and a refresh token when asked), using up {@code usedGrant}. */
    private Uni<Response> issue(
            ObjectNode api,
            OAuthClientEntity client,
            ObjectNode session,
            String scope,
            boolean withRefresh,
            String usedGrant,
            String replacedToken,
            ChangeOrigin origin,
            String notification,
            String authCode,
            String oldRefresh) {
        long now = Instant.now().getEpochSecond();
        String token = OAuthTokens.accessToken(orgOf(api, session), settings.hashKeyFunction());
        OAuthTokenEntity entity = token(token, client, session, now);
        String refreshToken = withRefresh ? OAuthTokens.refreshToken() : null;
        OAuthGrantEntity refresh =
                withRefresh
                        ? grant(
                                OAuthGrantEntity.REFRESH,
                                refreshToken,
                                client,
                                null,
                                scope,
                                session,
                                entity.digest,
                                now + settings.refreshExpire())
                        : null;
        return store.issue(entity, refresh, usedGrant, replacedToken, origin)
                .map(
                        issued -> {
                            if (!issued) {
                                return tokenError(OsinErrors.INVALID_GRANT);
                            }
                            Map<String, Object> body = new TreeMap<>();
                            body.put("access_token", token);
                            body.put("expires_in", settings.tokenExpire());
                            body.put("token_type", "bearer");
                            if (refreshToken != null) {
                                body.put("refresh_token", refreshToken);
                            }
                            if (scope != null && !scope.isEmpty()) {
                                body.put("scope", scope);
                            }
                            notifier.keyChanged(
                                    api, notification, authCode, token, refreshToken, oldRefresh);
                            return withSecurityHeaders(
                                            Response.ok(
                                                    TykJson.encode(body),
                                                    MediaType.APPLICATION_JSON_TYPE))
                                    .build();
                        });
    }

    private Response tokenError(String code) {
        Map<String, Object> body = new TreeMap<>();
        body.put("error", code);
        body.put("error_description", OsinErrors.describe(code));
        return withSecurityHeaders(
                        Response.status(settings.errorStatus())
                                .type(MediaType.APPLICATION_JSON_TYPE)
                                .entity(TykJson.encode(body)))
                .build();
    }

    private static Response.ResponseBuilder withSecurityHeaders(Response.ResponseBuilder response) {
        SECURITY_HEADERS.forEach(response::header);
        return response;
    }

    // ---- /oauth/revoke and /oauth/revoke_all (RFC 7009 style, on the API's path)

    @POST
    @Path("oauth/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> revoke(
            @PathParam("apiId") String apiId, MultivaluedMap<String, String> form) {
        String token = first(form, "token");
        if (token.isEmpty()) {
            throw new TykException(400, "token is required");
        }
        String hint = first(form, "token_type_hint");
        String tokenDigest = digest.of(token);
        ChangeOrigin origin = new ChangeOrigin("oauth-revoke", null, null);
        Uni<Boolean> access =
                "refresh_token".equals(hint)
                        ? Uni.createFrom().item(false)
                        : store.revokeToken(tokenDigest, origin);
        return access.chain(
                        ignored ->
                                "access_token".equals(hint)
                                        ? Uni.createFrom().item(false)
                                        : store.deleteGrant(tokenDigest))
                .map(ignored -> TykResponses.ok(StatusMessage.ok("token revoked successfully")));
    }

    @POST
    @Path("oauth/revoke_all")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> revokeAll(
            @PathParam("apiId") String apiId, MultivaluedMap<String, String> form) {
        String clientId = first(form, "client_id");
        String clientSecret = first(form, "client_secret");
        if (clientId.isEmpty()) {
            throw new TykException(401, "client_id is required");
        }
        if (clientSecret.isEmpty()) {
            throw new TykException(401, "client_secret is required");
        }
        return store.findClient(apiId, clientId)
                .chain(
                        client -> {
                            if (client == null) {
                                throw new TykException(404, "error getting oauth client");
                            }
                            if (!secrets.matches(clientSecret, client.secretSealed)) {
                                throw new TykException(401, "client secret is wrong");
                            }
                            return store.revokeClientTokens(
                                            apiId,
                                            clientId,
                                            new ChangeOrigin(
                                                    "oauth-client:" + clientId, null, null))
                                    .map(
                                            ignored ->
                                                    TykResponses.ok(
                                                            StatusMessage.ok(
                                                                    "tokens revoked successfully")));
                        });
    }

    // ---- sessions and records

    /**
     * The session a token gets: the approval's {@code key_rules}, else the client's policy. Null
     * when unreadable.
     */
    private static ObjectNode sessionFor(
            ObjectNode api, OAuthClientEntity client, String keyRules) {
        if (keyRules != null && !keyRules.isEmpty()) {
            return TykJson.readObject(keyRules);
        }
        ObjectNode session = TykJson.MAPPER.createObjectNode();
        session.put("org_id", api.path("org_id").asText(""));
        ArrayNode policies = session.putArray("apply_policies");
        if (client.policyId != null && !client.policyId.isEmpty()) {
            policies.add(client.policyId);
        } else {
            ObjectNode rights = session.putObject("access_rights");
            rights.putObject(client.apiId).put("api_id", client.apiId).putArray("versions");
        }
        return session;
    }

    private static String orgOf(ObjectNode api, ObjectNode session) {
        String org = session.path("org_id").asText("");
        return org.isEmpty() ? api.path("org_id").asText("") : org;
    }

    private OAuthTokenEntity token(
            String token, OAuthClientEntity client, ObjectNode base, long now) {
        ObjectNode session = base.deepCopy();
        session.put("oauth_client_id", client.clientId);
        session.put("expires", now + settings.tokenExpire());
        if (session.path("org_id").asText("").isEmpty()) {
            session.put("org_id", client.orgId == null ? "" : client.orgId);
        }
        JsonNode clientMeta = client.metaData == null ? null : TykJson.readObject(client.metaData);
        if (clientMeta instanceof ObjectNode meta) {
            ObjectNode merged = meta.deepCopy();
            if (session.path("meta_data") instanceof ObjectNode own) {
                merged.setAll(own); // the session's own values win
            }
            session.set("meta_data", merged);
        }
        OAuthTokenEntity entity = new OAuthTokenEntity();
        entity.digest = digest.of(token);
        entity.keyHash = TykKeys.keyHash(token);
        entity.apiId = client.apiId;
        entity.clientId = client.clientId;
        entity.session = TykJson.encode(session).stripTrailing();
        entity.expiresAt = now + settings.tokenExpire();
        return entity;
    }

    private OAuthGrantEntity grant(
            String kind,
            String secret,
            OAuthClientEntity client,
            String redirect,
            String scope,
            ObjectNode session,
            String accessDigest,
            long expiresAt) {
        OAuthGrantEntity grant = new OAuthGrantEntity();
        grant.digest = digest.of(secret);
        grant.kind = kind;
        grant.apiId = client.apiId;
        grant.clientId = client.clientId;
        grant.redirectUri = redirect;
        grant.scope = scope;
        grant.session = TykJson.encode(session).stripTrailing();
        grant.accessDigest = accessDigest;
        grant.expiresAt = expiresAt;
        return grant;
    }

    private static ObjectNode readSession(String json) {
        ObjectNode session = TykJson.readObject(json);
        if (session == null) {
            throw new OAuthError(OsinErrors.SERVER_ERROR);
        }
        return session;
    }

    /** {@code client_id:secret} from {@code Authorization: Basic …}, or null. */
    private static String[] basicCredentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded =
                    new String(
                            Base64.getDecoder().decode(header.substring(6).trim()),
                            StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0
                    ? null
                    : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The form of a token request: form-encoded, or a JSON object turned into one (as Tyk does).
     */
    private static MultivaluedMap<String, String> formOf(String body, String contentType) {
        MultivaluedMap<String, String> form = new jakarta.ws.rs.core.MultivaluedHashMap<>();
        if (body == null || body.isEmpty()) {
            return form;
        }
        if (contentType != null && contentType.toLowerCase().startsWith("application/json")) {
            ObjectNode json = TykJson.readObject(body);
            if (json != null) {
                json.fields().forEachRemaining(e -> form.add(e.getKey(), e.getValue().asText()));
            }
            return form;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name =
                    java.net.URLDecoder.decode(
                            equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value =
                    equals < 0
                            ? ""
                            : java.net.URLDecoder.decode(
                                    pair.substring(equals + 1), StandardCharsets.UTF_8);
            form.add(name, value);
        }
        return form;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
