package gatehouse.gateway.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.MalformedEventException;
import gatehouse.contracts.keys.KeyState;
import gatehouse.contracts.tyk.TykJson;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys this node knows, by digest, from {@code gatehouse.keys} and from read-through look-ups.
 * Versions only move forward and a deletion's version is remembered, so neither a late event nor a
 * look-up answered before the deletion can bring a deleted key back.
 */
@Singleton
public class KeyRegistry {

    private final Map<String, HeldKey> keys = new ConcurrentHashMap<>();
    private final Map<String, Long> deleted = new ConcurrentHashMap<>();
    private final QuotaCounters quotas;
    private final KeyRateLimits rateLimits;
    private final OAuthClients clients;

    KeyRegistry(QuotaCounters quotas, KeyRateLimits rateLimits, OAuthClients clients) {
        this.quotas = quotas;
        this.rateLimits = rateLimits;
        this.clients = clients;
    }

    /** The key with that digest, or null when this node does not know it. */
    public HeldKey get(String digest) {
        return keys.get(digest);
    }

    /** True when this node saw the key deleted. */
    public boolean isDeleted(String digest) {
        return deleted.containsKey(digest) && !keys.containsKey(digest);
    }

    /** How many keys this node holds. */
    public int size() {
        return keys.size();
    }

    /**
     * Applies one event of {@code gatehouse.keys} or {@code gatehouse.oauth-tokens} (access tokens
     * are sessions like keys); organisation sessions are not used by the data plane.
     *
     * @throws MalformedEventException when the event cannot be applied
     */
    public void apply(EventEnvelope event) {
        String type = event.type();
        if (EventTypes.ORG_KEY_UPSERTED.equals(type) || EventTypes.ORG_KEY_DELETED.equals(type)) {
            return;
        }
        if (EventTypes.OAUTH_CLIENT_UPSERTED.equals(type)
                || EventTypes.OAUTH_CLIENT_DELETED.equals(type)) {
            clients.apply(event);
            return;
        }
        if (event.isTombstone()
                || EventTypes.KEY_DELETED.equals(type)
                || EventTypes.OAUTH_TOKEN_DELETED.equals(type)) {
            remove(event.subject(), event.version());
            return;
        }
        if (!EventTypes.KEY_UPSERTED.equals(type)
                && !EventTypes.OAUTH_TOKEN_UPSERTED.equals(type)) {
            throw new MalformedEventException(
                    "unknown event type " + event.type() + " on the keys topic");
        }
        offer(event.subject(), event.version(), parse(event.data()));
    }

    /** Reads a {@link KeyState} JSON text. */
    public static KeyState parse(String json) {
        try {
            KeyState state = TykJson.MAPPER.readValue(json, KeyState.class);
            if (state.session() == null) {
                throw new MalformedEventException("key state without a session");
            }
            return state;
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("unreadable key state: " + e.getOriginalMessage());
        }
    }

    /** Holds a key state unless a newer state or deletion is already known. */
    public void offer(String digest, long version, KeyState state) {
        Long gone = deleted.get(digest);
        if (gone != null && gone >= version) {
            return;
        }
        HeldKey next = new HeldKey(digest, version, state);
        HeldKey held =
                keys.merge(
                        digest,
                        next,
                        (old, fresh) -> old.version() >= fresh.version() ? old : fresh);
        if (held == next) {
            quotas.confirm(digest, state.quotas(), state.usage());
        }
    }

    private void remove(String digest, long version) {
        deleted.merge(digest, version, Math::max);
        keys.computeIfPresent(digest, (id, held) -> held.version() < version ? null : held);
        quotas.forget(digest);
        rateLimits.forget(digest);
    }
}
