package gatehouse.gateway.keys;

import com.fasterxml.jackson.databind.JsonNode;
import gatehouse.contracts.http.AdminGuard;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.gateway.routing.Upstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Asks keys-service for a key this node has not seen on {@code gatehouse.keys} yet (its event may
 * still be in flight; DESIGN §4). By digest only. Concurrent look-ups of one key share one call, a
 * key found missing is not asked for again for a short while, and a cap on calls in flight keeps a
 * flood of invented keys from overloading keys-service.
 */
public class KeyLookup {

    private static final Logger LOGGER = Logger.getLogger(KeyLookup.class);
    private static final int NEGATIVE_CACHE_CAP = 100_000;

    /** The look-up could not be answered (keys-service down, slow, or too many calls in flight). */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private final Vertx vertx;
    private final KeyRegistry registry;
    private final Upstream owner;
    private final String path;
    private final String adminSecret;
    private final long negativeNanos;
    private final int maxInFlight;
    private final long timeoutMillis;
    private final Map<String, Future<HeldKey>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Long> missing = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final io.micrometer.core.instrument.Counter coalesced;
    private volatile HttpClient client;

    /**
     * @param owner the owner's base URL (keys-service for keys, oauth-service for access tokens)
     * @param path its look-up path, the digest appended
     */
    KeyLookup(
            Vertx vertx,
            KeyRegistry registry,
            String owner,
            String path,
            String adminSecret,
            Duration negative,
            int maxInFlight,
            Duration timeout,
            io.micrometer.core.instrument.Counter coalesced) {
        this.coalesced = coalesced;
        this.vertx = vertx;
        this.registry = registry;
        this.owner = Upstream.of(owner);
        this.path = path;
        this.adminSecret = adminSecret;
        this.negativeNanos = negative.toNanos();
        this.maxInFlight = maxInFlight;
        this.timeoutMillis = timeout.toMillis();
    }

    /** True when the key was looked up and found missing a moment ago. */
    public boolean recentlyMissing(String digest) {
        Long until = missing.get(digest);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until < 0) {
            return true;
        }
        missing.remove(digest, until);
        return false;
    }

    /**
     * Looks a key up.
     *
     * @return the key (also held by the registry from then on), null when keys-service has none, or
     *     a failure with {@link Unavailable}
     */
    public Future<HeldKey> lookup(String digest) {
        Future<HeldKey> running = inFlight.get(digest);
        if (running != null) {
            coalesced.increment();
            return running;
        }
        if (calls.incrementAndGet() > maxInFlight) {
            calls.decrementAndGet();
            return Future.failedFuture(new Unavailable("too many key look-ups in flight"));
        }
        Promise<HeldKey> promise = Promise.promise();
        Future<HeldKey> previous = inFlight.putIfAbsent(digest, promise.future());
        if (previous != null) {
            calls.decrementAndGet();
            coalesced.increment();
            return previous;
        }
        call(digest)
                .onComplete(
                        result -> {
                            calls.decrementAndGet();
                            inFlight.remove(digest);
                            promise.handle(result);
                        });
        return promise.future();
    }

    private Future<HeldKey> call(String digest) {
        if (client == null) {
            client = vertx.createHttpClient();
        }
        var options =
                new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost(owner.host())
                        .setPort(owner.port())
                        .setSsl(owner.ssl())
                        .setURI(path + digest)
                        .setTimeout(timeoutMillis)
                        .putHeader(AdminGuard.HEADER, adminSecret);
        return client.request(options)
                .compose(request -> request.send())
                .compose(
                        response ->
                                response.body()
                                        .map(
                                                body -> {
                                                    if (response.statusCode() == 404) {
                                                        if (missing.size() >= NEGATIVE_CACHE_CAP) {
                                                            missing.clear();
                                                        }
                                                        missing.put(
                                                                digest,
                                                                System.nanoTime() + negativeNanos);
                                                        return (HeldKey) null;
                                                    }
                                                    if (response.statusCode() != 200) {
                                                        throw new Unavailable(
                                                                "the owner answered "
                                                                        + response.statusCode());
                                                    }
                                                    JsonNode answer;
                                                    try {
                                                        answer =
                                                                TykJson.MAPPER.readTree(
                                                                        body.getBytes());
                                                    } catch (java.io.IOException e) {
                                                        throw new Unavailable(
                                                                "the owner answered an unreadable key");
                                                    }
                                                    registry.offer(
                                                            digest,
                                                            answer.path("version").asLong(),
                                                            answer.path("state").toString());
                                                    return registry.get(digest);
                                                }))
                .recover(
                        failure -> {
                            if (failure instanceof Unavailable) {
                                return Future.failedFuture(failure);
                            }
                            LOGGER.warnf("key look-up failed: %s", failure.getMessage());
                            return Future.failedFuture(new Unavailable("owner unreachable"));
                        });
    }
}
