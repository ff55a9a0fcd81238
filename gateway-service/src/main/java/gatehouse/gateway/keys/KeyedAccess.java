package gatehouse.gateway.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.keys.BasicAuthPasswords;
import gatehouse.contracts.keys.KeyDigest;
import gatehouse.contracts.keys.SessionSecrets;
import gatehouse.contracts.keys.TykKeys;
import gatehouse.gateway.health.ApiHealthStats;
import gatehouse.gateway.hmac.HmacRules;
import gatehouse.gateway.hmac.HmacSignature;
import gatehouse.gateway.jwt.JwksKeys;
import gatehouse.gateway.jwt.JwtRules;
import gatehouse.gateway.jwt.JwtSessions;
import gatehouse.gateway.jwt.JwtVerifier;
import gatehouse.gateway.proxy.ProxiedErrors;
import gatehouse.gateway.routing.ApiAuth;
import gatehouse.gateway.routing.ApiRoute;
import gatehouse.gateway.state.ClusterView;
import gatehouse.gateway.state.PolicyHolder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The keyed part of the request path, in Tyk's order (COMPAT §7.1 steps 8-10): basic auth or the
 * auth key, key expiry and inactivity, access rights and {@code allowed_urls}, then the key's rate
 * limit and quota, with Tyk's texts (§7.3). A known key is decided in memory on the event loop; an
 * unknown one is looked up from keys-service once (503 when that fails, never 401/403).
 */
@Singleton
public class KeyedAccess {

    /** What a granted request needs next: the path to proxy and the query to send. */
    public interface Next {
        void proceed(String query);

        /**
         * The request authenticated as this key (called before its limits are checked, so a refusal
         * for its rate limit or quota is still attributed to it).
         */
        default void identified(HeldKey key) {}
    }

    static final String AUTH_FIELD_MISSING = "Authorization field missing";
    static final String DISALLOWED = "Access to this API has been disallowed";
    static final String NOT_AUTHORISED = "Key not authorised";

    /**
     * Below this many requests left (or 5 % of the quota), counts are shared at once, not per
     * interval.
     */
    private static final long URGENT_REMAINING = 50;

    static final String LOOKUP_FAILED =
            "Key could not be checked: its owner service is unavailable, please retry";

    private final KeyRegistry registry;
    private final KeyLookup lookup;
    private final KeyLookup tokenLookup;
    private final OAuthClients clients;
    private final QuotaCounters quotas;
    private final KeyRateLimits rateLimits;
    private final UsageReporter usage;
    private final PolicyHolder policies;
    private final ClusterView cluster;
    private final ApiHealthStats health;
    private final KeyDigest digest;
    private final Vertx vertx;
    private final String hashKeyFunction;
    private final int minTokenLength;
    private final boolean allowMasterKeys;
    private final JwtSessions jwtSessions;
    private final JwksKeys jwks;
    private final SessionSecrets secrets;
    private final gatehouse.gateway.certs.CertificateRegistry certificates;

    KeyedAccess(
            KeyRegistry registry,
            @Named("keys") KeyLookup lookup,
            @Named("tokens") KeyLookup tokenLookup,
            OAuthClients clients,
            QuotaCounters quotas,
            KeyRateLimits rateLimits,
            UsageReporter usage,
            PolicyHolder policies,
            ClusterView cluster,
            ApiHealthStats health,
            KeyDigest digest,
            Vertx vertx,
            @ConfigProperty(name = "gatehouse.keys.hash-key-function", defaultValue = "murmur64")
                    String hashKeyFunction,
            @ConfigProperty(name = "gatehouse.keys.min-token-length", defaultValue = "0")
                    int minTokenLength,
            @ConfigProperty(name = "gatehouse.keys.allow-master-keys", defaultValue = "false")
                    boolean allowMasterKeys,
            JwtSessions jwtSessions,
            JwksKeys jwks,
            SessionSecrets secrets,
            gatehouse.gateway.certs.CertificateRegistry certificates) {
        this.secrets = secrets;
        this.certificates = certificates;
        this.jwtSessions = jwtSessions;
        this.jwks = jwks;
        this.allowMasterKeys = allowMasterKeys;
        this.registry = registry;
        this.lookup = lookup;
        this.tokenLookup = tokenLookup;
        this.clients = clients;
        this.quotas = quotas;
        this.rateLimits = rateLimits;
        this.usage = usage;
        this.policies = policies;
        this.cluster = cluster;
        this.health = health;
        this.digest = digest;
        this.vertx = vertx;
        this.hashKeyFunction = hashKeyFunction.trim();
        this.minTokenLength = minTokenLength > 0 ? minTokenLength : 3;
    }

    /**
     * Authenticates and limits one request; answers it with Tyk's error, or calls {@code next}.
     *
     * @param version the version served (null when the API is not versioned)
     * @param afterListen the path below the listen path, for {@code allowed_urls}
     * @param fullPath the canonical request path
     */
    public void check(
            RoutingContext context,
            ApiRoute route,
            String version,
            String afterListen,
            String fullPath,
            Next next) {
        ApiAuth auth = route.auth();
        HttpServerRequest request = context.request();
        if (auth.basicAuth()) {
            basicAuth(context, route, version, afterListen, fullPath, next);
            return;
        }
        if (auth.oauth2() && !auth.tokenAuth()) {
            bearer(context, route, version, afterListen, fullPath, next);
            return;
        }
        if (auth.hmac() != null && !auth.tokenAuth()) {
            signed(context, route, version, afterListen, fullPath, next);
            return;
        }
        if (auth.jwt() != null && !auth.tokenAuth()) {
            jwt(context, route, version, afterListen, fullPath, next);
            return;
        }
        if (auth.useCertificate() && request.isSSL()) {
            certified(context, route, version, afterListen, fullPath, next);
            return;
        }
        String token = token(request, auth);
        if (token == null || token.isEmpty()) {
            refuse(context, route, 401, AUTH_FIELD_MISSING);
            return;
        }
        if (token.length() < minTokenLength) {
            refuse(context, route, 403, DISALLOWED);
            return;
        }
        String keyDigest = digest.of(token);
        HeldKey known = registry.get(keyDigest);
        if (known != null) {
            // the common case, without the look-up's callbacks
            authorise(context, route, known, version, afterListen, fullPath, next);
            return;
        }
        withKey(
                context,
                lookup,
                keyDigest,
                held -> authorise(context, route, held, version, afterListen, fullPath, next),
                () -> refuse(context, route, 403, DISALLOWED));
    }

    static final String CERTIFICATE_REQUIRED = "Client certificate required";
    static final String CERTIFICATE_EXPIRED = "Certificate has expired";

    /**
     * Tyk's dynamic mTLS ({@code use_certificate}, over TLS): the client certificate names the key,
     * {@code generateToken(org, org + sha256(cert))} (the key keys-service made for a session with
     * that {@code certificate}), else the certificate id itself; the certificate must be in the
     * store. Tyk's codes and texts.
     */
    private void certified(
            RoutingContext context,
            ApiRoute route,
            String version,
            String afterListen,
            String fullPath,
            Next next) {
        X509Certificate leaf = peerLeaf(context.request());
        if (leaf != null && leaf.getNotAfter().getTime() < System.currentTimeMillis()) {
            refuse(context, route, 403, CERTIFICATE_EXPIRED);
            return;
        }
        if (leaf == null) {
            refuse(context, route, 401, CERTIFICATE_REQUIRED);
            return;
        }
        String orgId = route.auth().orgId();
        String certificateId = gatehouse.gateway.certs.CertificateRegistry.idOf(orgId, leaf);
        Consumer<HeldKey> found =
                held -> {
                    if (!certificates.holds(certificateId)) {
                        context.request().resume();
                        refuse(context, route, 403, DISALLOWED);
                        return;
                    }
                    authorise(context, route, held, version, afterListen, fullPath, next);
                };
        withKey(
                context,
                lookup,
                digest.of(TykKeys.generate(orgId, certificateId, hashKeyFunction)),
                found,
                () ->
                        withKey(
                                context,
                                lookup,
                                digest.of(certificateId),
                                found,
                                () -> refuse(context, route, 401, DISALLOWED)));
    }

    /** The client's leaf certificate, or null when the connection is not TLS or it sent none. */
    private static X509Certificate peerLeaf(HttpServerRequest request) {
        var peer = gatehouse.gateway.certs.CertificateRegistry.presented(request);
        return peer != null && !peer.isEmpty() && peer.get(0) instanceof X509Certificate leaf
                ? leaf
                : null;
    }

    /**
     * Tyk's {@code Oauth2KeyExists}: a bearer access token issued by one of the API's OAuth
     * clients.
     */
    private void bearer(
            RoutingContext context,
            ApiRoute route,
            String version,
            String afterListen,
            String fullPath,
            Next next) {
        String header = context.request().getHeader("Authorization");
        int space = header == null ? -1 : header.indexOf(' ');
        if (space < 0) {
            refuse(context, route, 400, AUTH_FIELD_MISSING);
            return;
        }
        if (!header.substring(0, space).equalsIgnoreCase("bearer")) {
            refuse(context, route, 400, "Bearer token malformed");
            return;
        }
        String token = header.substring(space + 1).trim();
        withKey(
                context,
                tokenLookup,
                digest.of(token),
                held -> {
                    String clientId = held.state().session().path("oauth_client_id").asText("");
                    if (clientId.isEmpty()) {
                        refuse(context, route, 403, NOT_AUTHORISED); // a key, not an access token
                    } else if (clients.revoked(route.apiId(), clientId)) {
                        refuse(
                                context,
                                route,
                                403,
                                NOT_AUTHORISED + ". OAuth client access was revoked");
                    } else {
                        authorise(context, route, held, version, afterListen, fullPath, next);
                    }
                },
                () -> refuse(context, route, 403, NOT_AUTHORISED));
    }

    /**
     * Tyk's {@code JWTMiddleware} (research notes §2-§6): the token's structure and algorithm, its
     * key (the API's static key, its JWKS, or the secret of the key the token names), the
     * signature, the times; then the session the request is limited as.
     */
    private void jwt(
            RoutingContext context,
            ApiRoute route,
            String version,
            String afterListen,
            String fullPath,
            Next next) {
        JwtRules rules = route.auth().jwt();
        String token = jwtToken(context.request(), rules);
        if (token == null || token.isEmpty()) {
            refuse(context, route, 400, AUTH_FIELD_MISSING);
            return;
        }
        JwtVerifier.Parsed parsed;
        try {
            parsed = JwtVerifier.parse(token, rules.method());
        } catch (JwtVerifier.Refused e) {
            refuse(context, route, e.refusal().status(), e.refusal().message());
            return;
        }
        switch (rules.source()) {
            case STATIC ->
                    centralised(
                            context,
                            route,
                            parsed,
                            rules.secret(),
                            rules.publicKey(),
                            version,
                            afterListen,
                            fullPath,
                            next);
            case JWKS -> withJwk(context, route, parsed, version, afterListen, fullPath, next);
            case PER_KEY -> perKey(context, route, parsed, version, afterListen, fullPath, next);
            case INVALID -> refuse(context, route, 403, JWT_NOT_AUTHORIZED);
        }
    }

    private static final String JWT_NOT_AUTHORIZED = "Key not authorized";

    /** A session secret in the clear, or "" when there is none or it does not open. */
    private String opened(com.fasterxml.jackson.databind.JsonNode sealed) {
        try {
            String value = secrets.open(sealed.asText(""));
            return value == null ? "" : value;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /**
     * Tyk's {@code HTTPSignatureValidationMiddleware}: the {@code Signature} header, the key its
     * {@code keyId} names and that key's {@code hmac_string}, the signature, then the date.
     */
    private void signed(
            RoutingContext context,
            ApiRoute route,
            String version,
            String afterListen,
            String fullPath,
            Next next) {
        HmacRules rules = route.auth().hmac();
        HttpServerRequest request = context.request();
        String header = request.getHeader(rules.headerName());
        HmacSignature.Fields fields =
                header == null || header.isEmpty() ? null : HmacSignature.parse(header);
        if (fields == null
                || (!rules.allowedAlgorithms().isEmpty()
                        && !rules.allowedAlgorithms().contains(fields.algorithm()))) {
            refuse(context, route, 400, HmacSignature.INVALID);
            return;
        }
        withKey(
                context,
                lookup,
                digest.of(fields.keyId()),
                held -> {
                    var session = held.state().session();
                    boolean enabled =
                            session.path("hmac_enabled").asBoolean(false)
                                    || session.path("enable_http_signature_validation")
                                            .asBoolean(false);
                    String signing =
                            HmacSignature.signingString(
                                    fields,
                                    request.method().name(),
                                    request.path(),
                                    request::getHeader);
                    boolean rsa = fields.algorithm().startsWith("rsa");
                    String certificate = session.path("rsa_certificate_id").asText("");
                    if (rsa
                            && (certificate.isEmpty()
                                    || !session.path("enable_http_signature_validation")
                                            .asBoolean(false))) {
                        request.resume();
                        refuse(context, route, 400, HmacSignature.INVALID);
                        return;
                    }
                    java.security.PublicKey publicKey =
                            rsa ? certificates.publicKey(certificate) : null;
                    if (rsa && publicKey == null) {
                        request.resume();
                        // Tyk's answer when the key's certificate is not in the store
                        ProxiedErrors.send(context.response(), 500, "Certificate not found");
                        return;
                    }
                    if (rsa && !(publicKey instanceof java.security.interfaces.RSAPublicKey)) {
                        request.resume();
                        ProxiedErrors.send(
                                context.response(),
                                500,
                                "Certificate doesn't contain RSA Public key");
                        return;
                    }
                    String date = request.getHeader("x-aux-date");
                    if (date == null || date.isEmpty()) {
                        date = request.getHeader("Date");
                    }
                    boolean signed =
                            rsa
                                    ? HmacSignature.matchesRsa(fields, signing, publicKey)
                                    : HmacSignature.matches(
                                            fields, signing, opened(session.path("hmac_string")));
                    if (!enabled
                            || !signed
                            || !HmacSignature.withinSkew(
                                    date,
                                    rules.allowedClockSkewMillis(),
                                    System.currentTimeMillis())) {
                        request.resume();
                        refuse(context, route, 400, HmacSignature.INVALID);
                        return;
                    }
                    authorise(context, route, held, version, afterListen, fullPath, next);
                },
                () -> refuse(context, route, 400, HmacSignature.INVALID));
    }

    /**
     * The token from the JWT's header, query parameter or cookie; a later source wins, as on Tyk.
     */
    private static String jwtToken(HttpServerRequest request, JwtRules rules) {
        String token = null;
        if (rules.headerName() != null) {
            token = request.getHeader(rules.headerName());
        }
        if (rules.paramName() != null) {
            String param = request.getParam(rules.paramName());
            if (param != null && !param.isEmpty()) {
                token = param;
            }
        }
        if (rules.cookieName() != null) {
            Cookie cookie = request.getCookie(rules.cookieName());
            if (cookie != null && !cookie.getValue().isEmpty()) {
                token = cookie.getValue();
            }
        }
        if (token != null && token.length() >= 7 && token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7);
        }
        return token;
    }

    /**
     * JWKS mode: the key named by {@code kid}, from the cached set or a fetch (the request paused).
     */
    private void withJwk(
            RoutingContext context,
            ApiRoute route,
            JwtVerifier.Parsed parsed,
            String version,
            String afterListen,
            String fullPath,
            Next next) {
        if (parsed.kid() == null) {
            refuse(context, route, 403, JWT_NOT_AUTHORIZED); // Tyk: "kid is not a string"
            return;
        }
        Future<JwksKeys.Jwk> found = jwks.key(route.auth().jwt().jwksUrl(), parsed.kid());
        if (found.isComplete() && found.succeeded()) {
            jwkFound(context, route, parsed, found.result(), version, afterListen, fullPath, next);
            return;
        }
        HttpServerRequest request = context.request();
        request.pause();
        found.onComplete(
                result -> {
                    if (result.succeeded() && result.result() != null) {
                        jwkFound(
                                context,
                                route,
                                parsed,
                                result.result(),
                                version,
                                afterListen,
                                fullPath,
                                next);
                        return;
                    }
                    request.resume();
                    if (result.failed()) {
                        ProxiedErrors.send(context.response(), 503, result.cause().getMessage());
                    } else {
                        refuse(context, route, 403, JWT_NOT_AUTHORIZED);
                    }
                });
    }

    private void jwkFound(
            RoutingContext context,
            ApiRoute route,
            JwtVerifier.Parsed parsed,
            JwksKeys.Jwk key,
            String version,
            String afterListen,
            String fullPath,
            Next next) {
        if (key == null) {
            refuse(context, route, 403, JWT_NOT_AUTHORIZED); // "No matching KID could be found"
            return;
        }
        centralised(
                context,
                route,
                parsed,
                key.secret(),
                key.publicKey(),
                version,
                afterListen,
                fullPath,
                next);
    }

    /**
     * Centralised mode: the signature, the times, then the identity's session with the token's or
     * the API's policies.
     */
    private void centralised(
            RoutingContext context,
            ApiRoute route,
            JwtVerifier.Parsed parsed,
            byte[] secret,
            java.security.PublicKey key,
            String version,
            String afterListen,
            String fullPath,
            Next next) {
        JwtRules rules = route.auth().jwt();
        HeldKey session;
        try {
            JwtVerifier.verify(parsed, secret, key);
            JwtVerifier.checkTimes(parsed.claims(), rules, System.currentTimeMillis() / 1000);
            String identity = JwtSessions.identity(parsed.claims(), rules.identityBaseField());
            List<String> ids = JwtSessions.policies(parsed.claims(), rules);
            if (ids.isEmpty()) {
                refuse(context, route, 403, "key not authorized: no matching policy found");
                return;
            }
            Map<String, ObjectNode> known = policies.current();
            String org = route.auth().orgId();
            for (String id : ids) {
                ObjectNode policy = known.get(id);
                String policyOrg = policy == null ? null : policy.path("org_id").asText("");
                if (policy == null
                        || (!org.isEmpty() && !policyOrg.isEmpty() && !policyOrg.equals(org))) {
                    refuse(context, route, 403, "key not authorized: no matching policy");
                    return;
                }
            }
            var exp = parsed.claims().get("exp");
            session =
                    jwtSessions.session(
                            org, identity, ids, exp != null && exp.isNumber() ? exp.asLong() : 0);
        } catch (JwtVerifier.Refused e) {
            refuse(context, route, e.refusal().status(), e.refusal().message());
            return;
        }
        authorise(context, route, session, version, afterListen, fullPath, next);
    }

    /**
     * Per-key mode ({@code jwt_source} empty): the token names a key ({@code kid}, else its
     * identity claim) whose {@code jwt_data.secret} verifies it; that key is the session.
     */
    private void perKey(
            RoutingContext context,
            ApiRoute route,
            JwtVerifier.Parsed parsed,
            String version,
            String afterListen,
            String fullPath,
            Next next) {
        JwtRules rules = route.auth().jwt();
        String identity;
        if (!rules.skipKid() && parsed.kid() != null) {
            identity = parsed.kid();
        } else {
            try {
                identity = JwtSessions.identity(parsed.claims(), rules.identityBaseField());
            } catch (JwtVerifier.Refused e) {
                refuse(context, route, 403, JWT_NOT_AUTHORIZED);
                return;
            }
        }
        if (identity.length() < minTokenLength) {
            refuse(context, route, 403, JWT_NOT_AUTHORIZED);
            return;
        }
        withKey(
                context,
                lookup,
                digest.of(identity),
                held -> {
                    byte[] secret =
                            opened(held.state().session().path("jwt_data").path("secret"))
                                    .getBytes(StandardCharsets.UTF_8);
                    try {
                        JwtVerifier.verify(
                                parsed,
                                secret,
                                parsed.alg().startsWith("HS") ? null : JwtRules.publicKey(secret));
                        JwtVerifier.checkTimes(
                                parsed.claims(), rules, System.currentTimeMillis() / 1000);
                    } catch (JwtVerifier.Refused e) {
                        context.request().resume();
                        refuse(context, route, e.refusal().status(), e.refusal().message());
                        return;
                    }
                    authorise(context, route, held, version, afterListen, fullPath, next);
                },
                () -> refuse(context, route, 403, JWT_NOT_AUTHORIZED));
    }

    /**
     * Finds a key in memory, else through keys-service (the request paused meanwhile, so its body
     * waits for the forwarder); a failed look-up is a 503.
     */
    private void withKey(
            RoutingContext context,
            KeyLookup lookup,
            String keyDigest,
            Consumer<HeldKey> found,
            Runnable missing) {
        HeldKey held = registry.get(keyDigest);
        if (held != null) {
            found.accept(held);
            return;
        }
        if (lookup.recentlyMissing(keyDigest)) {
            missing.run();
            return;
        }
        HttpServerRequest request = context.request();
        request.pause();
        lookup.lookup(keyDigest)
                .onComplete(
                        result -> {
                            if (result.succeeded() && result.result() != null) {
                                found.accept(result.result());
                                return;
                            }
                            request.resume();
                            if (result.failed()) {
                                ProxiedErrors.send(context.response(), 503, LOOKUP_FAILED);
                            } else {
                                missing.run();
                            }
                        });
    }

    /**
     * The token from the header (bearer prefix stripped, as Tyk does), the query parameter or the
     * cookie.
     */
    private static String token(HttpServerRequest request, ApiAuth auth) {
        String token = auth.headerName() == null ? null : request.getHeader(auth.headerName());
        if ((token == null || token.isEmpty()) && auth.paramName() != null) {
            token = request.getParam(auth.paramName());
        }
        if ((token == null || token.isEmpty()) && auth.cookieName() != null) {
            Cookie cookie = request.getCookie(auth.cookieName());
            token = cookie == null ? null : cookie.getValue();
        }
        if (token != null && token.length() > 6 && token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7);
        }
        return token;
    }

    private void basicAuth(
            RoutingContext context,
            ApiRoute route,
            String version,
            String afterListen,
            String fullPath,
            Next next) {
        HttpServerRequest request = context.request();
        String header = request.getHeader("Authorization");
        if (header == null || header.isEmpty()) {
            askForCredentials(context, route, AUTH_FIELD_MISSING);
            return;
        }
        String[] parts = header.split(" ");
        if (parts.length != 2) {
            refuse(
                    context,
                    route,
                    400,
                    "Attempted access with malformed header, header not in basic auth format");
            return;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            refuse(
                    context,
                    route,
                    400,
                    "Attempted access with malformed header, auth data not encoded correctly");
            return;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            refuse(
                    context,
                    route,
                    400,
                    "Attempted access with malformed header, values not in basic auth format");
            return;
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        withKey(
                context,
                lookup,
                digest.of(TykKeys.generate(route.auth().orgId(), user, hashKeyFunction)),
                held ->
                        verifyPassword(
                                context,
                                route,
                                held,
                                password,
                                version,
                                afterListen,
                                fullPath,
                                next),
                () -> askForCredentials(context, route, "User not authorised"));
    }

    private void verifyPassword(
            RoutingContext context,
            ApiRoute route,
            HeldKey held,
            String password,
            String version,
            String afterListen,
            String fullPath,
            Next next) {
        String stored = held.passwordHash();
        if (stored == null) {
            askForCredentials(context, route, "User not authorised");
            return;
        }
        if (held.alreadyVerified(password)) {
            authorise(context, route, held, version, afterListen, fullPath, next);
            return;
        }
        HttpServerRequest request = context.request();
        request.pause();
        // bcrypt costs milliseconds: never on the event loop; a success is remembered for this key
        // state
        vertx.executeBlocking(
                        () -> BasicAuthPasswords.matches(password, stored, held.passwordHashType()),
                        false)
                .onComplete(
                        result -> {
                            if (result.succeeded() && result.result()) {
                                held.verified(password);
                                authorise(
                                        context, route, held, version, afterListen, fullPath, next);
                            } else {
                                request.resume();
                                askForCredentials(context, route, "User not authorised");
                            }
                        });
    }

    private void askForCredentials(RoutingContext context, ApiRoute route, String message) {
        context.response()
                .putHeader("WWW-Authenticate", "Basic realm=\"" + route.auth().apiName() + "\"");
        refuse(context, route, 401, message);
    }

    /** Steps after authentication: expiry, access rights, limits. */
    private void authorise(
            RoutingContext context,
            ApiRoute route,
            HeldKey held,
            String version,
            String afterListen,
            String fullPath,
            Next next) {
        next.identified(held);
        KeySession session = held.session(policies.current(), route.auth().orgId());
        if (session == null) {
            refuse(context, route, 403, DISALLOWED);
            return;
        }
        if (!session.certificate().isEmpty() && !presents(context, session.certificate())) {
            // a bound key's text is made from public data (org and certificate): without the
            // certificate itself it proves nothing (on Tyk it would pass where use_certificate is
            // off; docs/compat-deviations.md)
            refuse(context, route, 403, DISALLOWED);
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        if (session.inactive()) {
            refuse(context, route, 403, "Key is inactive, please renew");
            return;
        }
        if (session.expired(now)) {
            refuse(context, route, 401, "Key has expired, please renew");
            return;
        }
        KeySession.ApiAccess access = session.rights().get(route.apiId());
        if (session.rights().isEmpty() && !allowMasterKeys) {
            // a key naming no API opens every API only where master keys are allowed, whoever wrote
            // it
            refuse(context, route, 403, DISALLOWED);
            return;
        }
        if (!session.rights().isEmpty()) {
            if (access == null || (version != null && !access.versions().contains(version))) {
                refuse(context, route, 403, DISALLOWED);
                return;
            }
            if (!access.allowedUrls().isEmpty()
                    && !allowed(access, context.request().method().name(), afterListen, fullPath)) {
                refuse(context, route, 403, "Access to this resource has been disallowed");
                return;
            }
        }
        KeySession.Limit limit =
                access != null && access.limit() != null ? access.limit() : session.limit();
        String scope = access == null ? "" : access.scope();
        if (limit.rateLimited()
                && !rateLimits.tryAcquire(
                        held.digest(),
                        scope,
                        session.lastUpdated(),
                        limit.rate(),
                        limit.per(),
                        cluster.liveCount(),
                        System.nanoTime())) {
            health.count(route.apiId(), ApiHealthStats.Counter.THROTTLED);
            ProxiedErrors.send(context.response(), 429, "Rate Limit Exceeded");
            return;
        }
        HttpServerResponse response = context.response();
        if (limit.quotaLimited()) {
            long remaining =
                    quotas.tryConsume(
                            held.digest(), scope, limit.quotaMax(), limit.quotaRenewalRate(), now);
            if (remaining < 0) {
                health.count(route.apiId(), ApiHealthStats.Counter.QUOTA_VIOLATION);
                ProxiedErrors.send(response, 403, "Quota exceeded");
                return;
            }
            if (remaining < Math.max(URGENT_REMAINING, limit.quotaMax() / 20)) {
                usage.flushSoon();
            }
            rateLimitHeaders(
                    response, limit.quotaMax(), remaining, quotas.renews(held.digest(), scope));
        } else {
            rateLimitHeaders(response, limit.quotaMax(), limit.quotaMax(), 0);
        }
        next.proceed(
                route.auth().strip()
                        ? stripCredentials(context.request(), route.auth())
                        : context.request().query());
    }

    // names made once: their case-insensitive hashes are kept, not computed per request
    private static final CharSequence RATE_LIMIT_LIMIT =
            io.vertx.core.http.HttpHeaders.createOptimized("X-RateLimit-Limit");
    private static final CharSequence RATE_LIMIT_REMAINING =
            io.vertx.core.http.HttpHeaders.createOptimized("X-RateLimit-Remaining");
    private static final CharSequence RATE_LIMIT_RESET =
            io.vertx.core.http.HttpHeaders.createOptimized("X-RateLimit-Reset");

    /** True when the client presented the certificate of this id (under its id's org prefix). */
    private static boolean presents(RoutingContext context, String certificateId) {
        X509Certificate leaf = peerLeaf(context.request());
        if (leaf == null) {
            return false;
        }
        String fingerprint = gatehouse.gateway.certs.CertificateRegistry.idOf("", leaf);
        return certificateId.length() >= fingerprint.length()
                && java.security.MessageDigest.isEqual(
                        certificateId
                                .substring(certificateId.length() - fingerprint.length())
                                .getBytes(StandardCharsets.US_ASCII),
                        fingerprint.getBytes(StandardCharsets.US_ASCII));
    }

    private static void rateLimitHeaders(
            HttpServerResponse response, long limit, long remaining, long reset) {
        // Tyk's default rate_limit_response_headers: "quotas"; added, not set: nothing on the
        // response has them yet, and a set would first search for them
        var headers = response.headers();
        headers.add(RATE_LIMIT_LIMIT, Long.toString(limit));
        headers.add(RATE_LIMIT_REMAINING, Long.toString(Math.max(0, remaining)));
        headers.add(RATE_LIMIT_RESET, Long.toString(reset));
    }

    private static boolean allowed(
            KeySession.ApiAccess access, String method, String afterListen, String fullPath) {
        for (KeySession.AllowedUrl url : access.allowedUrls()) {
            if ((url.url().matcher(afterListen).find() || url.url().matcher(fullPath).find())
                    && (url.methods().isEmpty() || url.methods().contains(method))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code strip_auth_data}: the credential does not reach the upstream; returns the query to
     * send.
     */
    private static String stripCredentials(HttpServerRequest request, ApiAuth auth) {
        if (auth.headerName() != null) {
            request.headers().remove(auth.headerName());
        }
        if (auth.basicAuth()) {
            request.headers().remove("Authorization");
        }
        String query = request.query();
        if (auth.paramName() != null && query != null) {
            StringBuilder kept = new StringBuilder();
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                if (!name.equals(auth.paramName())) {
                    kept.append(kept.isEmpty() ? "" : "&").append(pair);
                }
            }
            query = kept.isEmpty() ? null : kept.toString();
        }
        if (auth.cookieName() != null && request.getHeader("Cookie") != null) {
            StringBuilder kept = new StringBuilder();
            for (String cookie : request.getHeader("Cookie").split(";")) {
                String trimmed = cookie.trim();
                if (!trimmed.startsWith(auth.cookieName() + "=")) {
                    kept.append(kept.isEmpty() ? "" : "; ").append(trimmed);
                }
            }
            if (kept.isEmpty()) {
                request.headers().remove("Cookie");
            } else {
                request.headers().set("Cookie", kept.toString());
            }
        }
        return query;
    }

    private void refuse(RoutingContext context, ApiRoute route, int status, String message) {
        health.count(route.apiId(), ApiHealthStats.Counter.KEY_FAILURE);
        ProxiedErrors.send(context.response(), status, message);
    }
}
