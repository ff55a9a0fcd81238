package gatehouse.gateway.keys;

import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OAuth clients this node saw deleted, from {@code gatehouse.oauth-tokens}: a token of such a
 * client is refused as revoked (Tyk's {@code Key not authorised. OAuth client access was revoked}).
 */
@Singleton
public class OAuthClients {

    private record Seen(long version, boolean live) {}

    private final Map<String, Seen> clients = new ConcurrentHashMap<>();

    void apply(EventEnvelope event) {
        boolean live =
                !(event.isTombstone() || EventTypes.OAUTH_CLIENT_DELETED.equals(event.type()));
        clients.merge(
                event.subject(),
                new Seen(event.version(), live),
                (held, fresh) -> held.version() >= fresh.version() ? held : fresh);
    }

    /**
     * True when the client was deleted (a client this node has not heard of yet counts as live).
     */
    public boolean revoked(String apiId, String clientId) {
        Seen seen = clients.get(EventTypes.oauthClientSubject(apiId, clientId));
        return seen != null && !seen.live();
    }
}
