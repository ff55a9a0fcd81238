package gatehouse.gateway;

import com.sun.net.httpserver.HttpExchange;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.keys.KeyDigest;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TopicRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for keys-service towards the gateway: keys are published on the real gatehouse.keys
 * topic, or held back and only answered by the read-through endpoint, as when their event is still
 * in flight.
 */
public final class KeysOwnerStub {

    public static final KeyDigest DIGEST =
            KeyDigest.fromSecrets(null, GatehouseTestResource.ADMIN_SECRET);
    private static final Map<String, String> HELD_BACK = new ConcurrentHashMap<>();
    private static final AtomicInteger LOOKUPS = new AtomicInteger();
    private static volatile boolean down;
    private static volatile java.util.concurrent.CountDownLatch held =
            new java.util.concurrent.CountDownLatch(0);
    private static final gatehouse.contracts.security.AdminSecret SECRET =
            gatehouse.contracts.security.AdminSecret.of(GatehouseTestResource.ADMIN_SECRET, false);
    private static long version = System.currentTimeMillis();

    private KeysOwnerStub() {}

    /**
     * Publishes a key as keys-service does: {@code {"key_hash":…,"session":…,"quotas":{}}} keyed by
     * digest.
     */
    public static synchronized void publish(String key, String session) {
        version++;
        TopicRecords.publish(
                Topics.KEYS.name(),
                new EventEnvelope(
                        UUID.randomUUID().toString(),
                        "/gatehouse/keys-service",
                        EventTypes.KEY_UPSERTED,
                        DIGEST.of(key),
                        Instant.now(),
                        "test",
                        "test",
                        version,
                        state(session)));
    }

    /** Deletes a key as keys-service does: a tombstone. */
    public static synchronized void delete(String key) {
        version++;
        HELD_BACK.remove(DIGEST.of(key));
        TopicRecords.publish(
                Topics.KEYS.name(),
                new EventEnvelope(
                        UUID.randomUUID().toString(),
                        "/gatehouse/keys-service",
                        EventTypes.KEY_DELETED,
                        DIGEST.of(key),
                        Instant.now(),
                        "test",
                        "test",
                        version,
                        null));
    }

    /** Publishes an OAuth access token as oauth-service does, on gatehouse.oauth-tokens. */
    public static synchronized void publishToken(String token, String session) {
        version++;
        TopicRecords.publish(
                Topics.OAUTH_TOKENS.name(),
                new EventEnvelope(
                        UUID.randomUUID().toString(),
                        "/gatehouse/oauth-service",
                        EventTypes.OAUTH_TOKEN_UPSERTED,
                        DIGEST.of(token),
                        Instant.now(),
                        "test",
                        "test",
                        version,
                        state(session)));
    }

    /** Deletes an OAuth client as oauth-service does. */
    public static synchronized void deleteClient(String apiId, String clientId) {
        version++;
        TopicRecords.publish(
                Topics.OAUTH_TOKENS.name(),
                new EventEnvelope(
                        UUID.randomUUID().toString(),
                        "/gatehouse/oauth-service",
                        EventTypes.OAUTH_CLIENT_DELETED,
                        EventTypes.oauthClientSubject(apiId, clientId),
                        Instant.now(),
                        "test",
                        "test",
                        version,
                        "{\"api_id\":\""
                                + apiId
                                + "\",\"client_id\":\""
                                + clientId
                                + "\",\"deleted\":true}"));
    }

    /** A key only the look-up endpoint knows. */
    public static synchronized void holdBack(String key, String session) {
        version++;
        HELD_BACK.put(
                DIGEST.of(key), "{\"version\":" + version + ",\"state\":" + state(session) + "}");
    }

    private static String state(String session) {
        return "{\"key_hash\":\"x\",\"session\":" + session.replace("\n", "") + ",\"quotas\":{}}";
    }

    /** While true, the look-up endpoint fails as a keys-service outage would. */
    public static void down(boolean value) {
        down = value;
    }

    /** Holds every look-up answer until {@link #release()}, as a slow keys-service would. */
    public static void hold() {
        held = new java.util.concurrent.CountDownLatch(1);
    }

    public static void release() {
        held.countDown();
    }

    public static int lookups() {
        return LOOKUPS.get();
    }

    static void handle(HttpExchange exchange) throws IOException {
        LOOKUPS.incrementAndGet();
        try {
            held.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String path = exchange.getRequestURI().getPath();
        String digest = path.substring(path.lastIndexOf('/') + 1);
        String answer = HELD_BACK.get(digest);
        int status =
                !SECRET.matches(exchange.getRequestHeaders().getFirst("x-tyk-authorization"))
                        ? 403
                        : down ? 500 : answer == null ? 404 : 200;
        byte[] body =
                (status == 200 ? answer : "{\"status\":\"error\",\"message\":\"Key not found\"}")
                        .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
