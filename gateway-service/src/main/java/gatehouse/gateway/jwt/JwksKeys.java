package gatehouse.gateway.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.gateway.routing.Upstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The JSON Web Key Sets of the APIs' {@code jwt_source} URLs, fetched with the event loop's own
 * non-blocking client and cached per URL for {@code gatehouse.jwt.jwks-cache} (Tyk's 240 s).
 *
 * <ul>
 *   <li>A set past its time keeps serving while a fresh copy is fetched in the background, so a
 *       request never waits on a refresh.
 *   <li>A {@code kid} the cached set lacks fetches the set again (at most once per {@code
 *       gatehouse.jwt.jwks-refetch}): a rotated key works from its first token. Tyk waits for the
 *       cache to expire instead.
 *   <li>A set that cannot be fetched keeps the cached one in use; with none, the request gets a
 *       503, not a 401 or 403.
 * </ul>
 */
@Singleton
public class JwksKeys {

    private static final Logger LOGGER = Logger.getLogger(JwksKeys.class);
    private static final int MAX_BODY = 1 << 20;

    /** A JWKS could not be fetched and none was cached. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A verification key of a set: an HMAC secret ({@code oct}) or a public key.
     *
     * @param secret the secret, or null
     * @param publicKey the public key, or null
     */
    public record Jwk(byte[] secret, PublicKey publicKey) {}

    private record Cached(Map<String, Jwk> keys, long fetchedNanos) {}

    private final Vertx vertx;
    private final long ttlNanos;
    private final long refetchNanos;
    private final long timeoutMillis;
    private final Map<String, Cached> sets = new ConcurrentHashMap<>();
    private final Map<String, Future<Map<String, Jwk>>> fetching = new ConcurrentHashMap<>();
    private final Map<String, Long> unknownKidFetch = new ConcurrentHashMap<>();
    private volatile HttpClient client;

    JwksKeys(
            Vertx vertx,
            @ConfigProperty(name = "gatehouse.jwt.jwks-cache", defaultValue = "240s") Duration ttl,
            @ConfigProperty(name = "gatehouse.jwt.jwks-refetch", defaultValue = "10s")
                    Duration refetch,
            @ConfigProperty(name = "gatehouse.jwt.jwks-timeout", defaultValue = "5s")
                    Duration timeout) {
        this.vertx = vertx;
        this.ttlNanos = ttl.toNanos();
        this.refetchNanos = refetch.toNanos();
        this.timeoutMillis = timeout.toMillis();
    }

    /**
     * The key of that {@code kid} in the set at {@code url}.
     *
     * @return the key, null when the set has none of that id, or a failure with {@link Unavailable}
     *     when no set could be had
     */
    public Future<Jwk> key(String url, String kid) {
        Cached cached = sets.get(url);
        long now = System.nanoTime();
        if (cached != null) {
            Jwk key = cached.keys().get(kid);
            if (now - cached.fetchedNanos() > ttlNanos) {
                fetch(url); // in the background: the cached set serves meanwhile
            }
            if (key != null) {
                return Future.succeededFuture(key);
            }
            // an unknown kid fetches the set again, once per refetch interval: a rotated key works
            // at once, a flood of invented kids costs one fetch per interval
            Long last = unknownKidFetch.get(url);
            if (last != null && now - last < refetchNanos) {
                return Future.succeededFuture(null);
            }
            unknownKidFetch.put(url, now);
        }
        return fetch(url)
                .map(keys -> keys.get(kid))
                .recover(
                        failure -> {
                            Cached kept = sets.get(url);
                            if (kept != null) {
                                return Future.succeededFuture(kept.keys().get(kid));
                            }
                            return Future.failedFuture(
                                    new Unavailable(
                                            "the API's JSON Web Key Set could not be fetched, please retry"));
                        });
    }

    /** Forgets every cached set (Tyk's {@code DELETE /tyk/cache/jwks}). */
    public void clear() {
        sets.clear();
        unknownKidFetch.clear();
    }

    private Future<Map<String, Jwk>> fetch(String url) {
        Future<Map<String, Jwk>> running = fetching.get(url);
        if (running != null) {
            return running;
        }
        Promise<Map<String, Jwk>> promise = Promise.promise();
        if (fetching.putIfAbsent(url, promise.future()) != null) {
            return fetching.get(url);
        }
        request(url)
                .onComplete(
                        result -> {
                            fetching.remove(url);
                            if (result.succeeded()) {
                                sets.put(url, new Cached(result.result(), System.nanoTime()));
                            } else {
                                LOGGER.warnf(
                                        "the JWKS at %s could not be fetched: %s",
                                        url, result.cause().getMessage());
                            }
                            promise.handle(result);
                        });
        return promise.future();
    }

    private Future<Map<String, Jwk>> request(String url) {
        Upstream target;
        java.net.URI uri;
        try {
            target = Upstream.of(url);
            uri = java.net.URI.create(url);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        if (client == null) {
            client = vertx.createHttpClient();
        }
        String path =
                uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        var options =
                new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost(target.host())
                        .setPort(target.port())
                        .setSsl(target.ssl())
                        .setURI(path)
                        .setTimeout(timeoutMillis);
        return client.request(options)
                .compose(request -> request.send())
                .compose(
                        response -> {
                            if (response.statusCode() != 200) {
                                return Future.failedFuture(
                                        new IllegalStateException(
                                                "it answered " + response.statusCode()));
                            }
                            return response.body();
                        })
                .map(
                        body -> {
                            if (body.length() > MAX_BODY) {
                                throw new IllegalStateException("it is over 1 MiB");
                            }
                            return parse(body.getBytes());
                        });
    }

    /**
     * The keys of a JWKS document by {@code kid}: RSA and EC public keys, {@code oct} secrets, and
     * the first certificate of {@code x5c}; keys without a {@code kid} or of unknown types are
     * skipped.
     *
     * @throws IllegalArgumentException when it is no JWKS
     */
    public static Map<String, Jwk> parse(byte[] document) {
        JsonNode keys;
        try {
            keys = TykJson.MAPPER.readTree(document).path("keys");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (!keys.isArray()) {
            throw new IllegalArgumentException("no \"keys\" array");
        }
        Map<String, Jwk> byKid = new HashMap<>();
        for (JsonNode jwk : keys) {
            String kid = jwk.path("kid").asText("");
            if (kid.isEmpty() || byKid.containsKey(kid)) {
                continue;
            }
            try {
                Jwk key = key(jwk);
                if (key != null) {
                    byKid.put(kid, key);
                }
            } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
                LOGGER.debugf("skipped JWK %s: %s", kid, e.getMessage());
            }
        }
        return Map.copyOf(byKid);
    }

    private static Jwk key(JsonNode jwk) throws java.security.GeneralSecurityException {
        Base64.Decoder url = Base64.getUrlDecoder();
        switch (jwk.path("kty").asText("")) {
            case "RSA" -> {
                if (jwk.hasNonNull("n") && jwk.hasNonNull("e")) {
                    return new Jwk(
                            null,
                            KeyFactory.getInstance("RSA")
                                    .generatePublic(
                                            new RSAPublicKeySpec(
                                                    new BigInteger(
                                                            1, url.decode(jwk.get("n").asText())),
                                                    new BigInteger(
                                                            1,
                                                            url.decode(jwk.get("e").asText())))));
                }
            }
            case "EC" -> {
                String curve =
                        switch (jwk.path("crv").asText("")) {
                            case "P-256" -> "secp256r1";
                            case "P-384" -> "secp384r1";
                            case "P-521" -> "secp521r1";
                            default -> null;
                        };
                if (curve != null && jwk.hasNonNull("x") && jwk.hasNonNull("y")) {
                    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                    parameters.init(new ECGenParameterSpec(curve));
                    return new Jwk(
                            null,
                            KeyFactory.getInstance("EC")
                                    .generatePublic(
                                            new ECPublicKeySpec(
                                                    new ECPoint(
                                                            new BigInteger(
                                                                    1,
                                                                    url.decode(
                                                                            jwk.get("x").asText())),
                                                            new BigInteger(
                                                                    1,
                                                                    url.decode(
                                                                            jwk.get("y")
                                                                                    .asText()))),
                                                    parameters.getParameterSpec(
                                                            ECParameterSpec.class))));
                }
            }
            case "oct" -> {
                if (jwk.hasNonNull("k")) {
                    return new Jwk(url.decode(jwk.get("k").asText()), null);
                }
            }
            default -> {
                return null;
            }
        }
        JsonNode x5c = jwk.path("x5c");
        if (x5c.isArray() && !x5c.isEmpty()) {
            PublicKey key = JwtRules.publicKey(Base64.getDecoder().decode(x5c.get(0).asText()));
            return key == null ? null : new Jwk(null, key);
        }
        return null;
    }
}
