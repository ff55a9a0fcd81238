package gatehouse.gateway.keys;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.MalformedEventException;
import gatehouse.contracts.keys.KeyState;
import gatehouse.contracts.tyk.TykJson;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
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
    private final DecodedKeys decoded;

    KeyRegistry(
            QuotaCounters quotas,
            KeyRateLimits rateLimits,
            OAuthClients clients,
            DecodedKeys decoded) {
        this.quotas = quotas;
        this.rateLimits = rateLimits;
        this.clients = clients;
        this.decoded = decoded;
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

    /** What an event of the keys topics was. */
    public enum Applied {
        /** a key or access token, now held (or removed) by this registry */
        KEY,
        /** an OAuth client or an organisation session: not a key */
        OTHER
    }

    /**
     * Applies one event of {@code gatehouse.keys} or {@code gatehouse.oauth-tokens} (access tokens
     * are sessions like keys); organisation sessions are not used by the data plane.
     *
     * @return whether the event was a key's, held from then on by this registry
     * @throws MalformedEventException when the event cannot be applied
     */
    public Applied apply(EventEnvelope event) {
        String type = event.type();
        if (EventTypes.ORG_KEY_UPSERTED.equals(type) || EventTypes.ORG_KEY_DELETED.equals(type)) {
            return Applied.OTHER;
        }
        if (EventTypes.OAUTH_CLIENT_UPSERTED.equals(type)
                || EventTypes.OAUTH_CLIENT_DELETED.equals(type)) {
            clients.apply(event);
            return Applied.OTHER;
        }
        if (event.isTombstone()
                || EventTypes.KEY_DELETED.equals(type)
                || EventTypes.OAUTH_TOKEN_DELETED.equals(type)) {
            remove(event.subject(), event.version());
            return Applied.KEY;
        }
        if (!EventTypes.KEY_UPSERTED.equals(type)
                && !EventTypes.OAUTH_TOKEN_UPSERTED.equals(type)) {
            throw new MalformedEventException(
                    "unknown event type " + event.type() + " on the keys topic");
        }
        byte[] json = event.data().getBytes(StandardCharsets.UTF_8);
        Counted counted = counted(json);
        offer(
                event.subject(),
                event.version(),
                PackedKeyState.pack(json),
                counted.quotas(),
                counted.usage(),
                null);
        return Applied.KEY;
    }

    /**
     * A session that is no stored key (a JWT identity's, say): held by its caller, not by this
     * registry, and limited and counted like a key under {@code digest}.
     */
    public HeldKey unstored(String digest, long version, KeyState state) {
        byte[] json = TykJson.encode(state).getBytes(StandardCharsets.UTF_8);
        return new HeldKey(digest, version, PackedKeyState.pack(json), state, decoded);
    }

    /** One held key as the local snapshot stores it. */
    @FunctionalInterface
    public interface PackedKeys {
        void accept(String digest, long version, byte[] packed);
    }

    /** Hands every held key, packed, to {@code sink}. */
    public void forEachPacked(PackedKeys sink) {
        keys.values().forEach(held -> sink.accept(held.digest(), held.version(), held.packed()));
    }

    /**
     * Holds a key read back from the local snapshot.
     *
     * @throws MalformedEventException when the bytes do not unpack to a key state
     */
    public void offerPacked(String digest, long version, byte[] packed) {
        Counted counted;
        try {
            counted = counted(PackedKeyState.unpack(packed));
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("unreadable packed key state: " + e.getMessage());
        }
        offer(digest, version, packed, counted.quotas(), counted.usage(), null);
    }

    /** What keys-service counted of a key's quota, read without decoding its session. */
    private record Counted(Map<String, KeyState.QuotaUsage> quotas, KeyState.UsagePosition usage) {}

    private static final com.fasterxml.jackson.core.type.TypeReference<
                    Map<String, KeyState.QuotaUsage>>
            QUOTAS = new com.fasterxml.jackson.core.type.TypeReference<>() {};

    /**
     * Reads the quota counts of a {@link KeyState} JSON text and checks that it has a session,
     * skipping over the session itself: a node that starts reads every key, and most of a key is
     * its session, which is decoded only if the key is used.
     */
    private static Counted counted(byte[] json) {
        try (JsonParser parser = TykJson.MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("a key state is not a JSON object");
            }
            boolean session = false;
            Map<String, KeyState.QuotaUsage> quotas = null;
            KeyState.UsagePosition usage = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "session" -> {
                        session = value == JsonToken.START_OBJECT;
                        parser.skipChildren();
                    }
                    case "quotas" ->
                            quotas =
                                    value == JsonToken.VALUE_NULL
                                            ? null
                                            : TykJson.MAPPER.readValue(parser, QUOTAS);
                    case "usage" ->
                            usage =
                                    value == JsonToken.VALUE_NULL
                                            ? null
                                            : TykJson.MAPPER.readValue(
                                                    parser, KeyState.UsagePosition.class);
                    default -> parser.skipChildren();
                }
            }
            if (!session) {
                throw new MalformedEventException("key state without a session");
            }
            return new Counted(quotas == null ? Map.of() : Map.copyOf(quotas), usage);
        } catch (java.io.IOException e) {
            throw new MalformedEventException("unreadable key state: " + e.getMessage());
        }
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

    /**
     * Holds a key a look-up answered (it is about to be used, so it is kept decoded), unless a
     * newer state or deletion is already known.
     */
    public void offer(String digest, long version, String json) {
        KeyState state = parse(json);
        offer(
                digest,
                version,
                PackedKeyState.pack(json.getBytes(StandardCharsets.UTF_8)),
                state.quotas(),
                state.usage(),
                state);
    }

    /**
     * @param decodedState the state decoded, kept while the key is in use; null to decode it when
     *     it is first used
     */
    private void offer(
            String digest,
            long version,
            byte[] packed,
            Map<String, KeyState.QuotaUsage> quotaCounts,
            KeyState.UsagePosition usage,
            KeyState decodedState) {
        Long gone = deleted.get(digest);
        if (gone != null && gone >= version) {
            return;
        }
        HeldKey next = new HeldKey(digest, version, packed, decodedState, decoded);
        HeldKey held =
                keys.merge(
                        digest,
                        next,
                        (old, fresh) -> old.version() >= fresh.version() ? old : fresh);
        if (held == next) {
            quotas.confirm(digest, quotaCounts, usage);
        }
    }

    private void remove(String digest, long version) {
        deleted.merge(digest, version, Math::max);
        keys.computeIfPresent(digest, (id, held) -> held.version() < version ? null : held);
        quotas.forget(digest);
        rateLimits.forget(digest);
    }
}
