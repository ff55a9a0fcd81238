package gatehouse.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keys a node holds: packed, decoded only while in use, versions only moving forward. */
class KeyRegistryTest {

    private final QuotaCounters quotas = new QuotaCounters();
    private final DecodedKeys decoded = new DecodedKeys(2);
    private final KeyRegistry registry =
            new KeyRegistry(quotas, new KeyRateLimits(), new OAuthClients(), decoded);

    private static EventEnvelope event(String type, String digest, long version, String data) {
        return new EventEnvelope(
                "id-" + version,
                "/gatehouse/test",
                type,
                digest,
                Instant.now(),
                "test",
                "r",
                version,
                data);
    }

    private static String json(int i) {
        return new String(PackedKeyStateTest.typicalKey(i), StandardCharsets.UTF_8);
    }

    @Test
    void aKeyFromItsEventIsHeldPackedAndDecodedOnFirstUse() {
        String json = json(1);
        assertEquals(
                KeyRegistry.Applied.KEY,
                registry.apply(event(EventTypes.KEY_UPSERTED, "d1", 1, json)));
        HeldKey held = registry.get("d1");
        assertNotNull(held);
        assertFalse(held.isDecoded(), "a key read from the topic is not decoded until used");
        assertTrue(held.packed().length * 5 < json.length(), held.packed().length + " B");
        assertEquals(KeyRegistry.parse(json), held.state());
        assertTrue(held.isDecoded());
        assertNotNull(held.session(Map.of(), "org-1"));
    }

    @Test
    void aStateWithoutASessionOrNotJsonIsRefusedAndNothingIsHeld() {
        for (String bad : new String[] {"{\"key_hash\":\"x\"}", "[]", "{\"session\":[]}", "{"}) {
            assertThrows(
                    MalformedEventException.class,
                    () -> registry.apply(event(EventTypes.KEY_UPSERTED, "bad", 1, bad)),
                    bad);
        }
        assertNull(registry.get("bad"));
        assertEquals(0, registry.size());
    }

    @Test
    void theQuotaKeysServiceCountedIsWhereThisNodeGoesOn() {
        long now = Instant.now().getEpochSecond();
        String json =
                "{\"session\":{\"quota_max\":10},\"quotas\":{\"\":{\"used\":5,\"renews\":"
                        + (now + 3600)
                        + "}},\"usage\":{\"partition\":0,\"offset\":3}}";
        registry.apply(event(EventTypes.KEY_UPSERTED, "q", 1, json));
        assertEquals(4, quotas.tryConsume("q", "", 10, 3600, now), "10 - 5 counted - this one");
    }

    @Test
    void aDeletionIsNotUndoneByAnOlderStateButIsByANewerOne() {
        registry.apply(event(EventTypes.KEY_UPSERTED, "k", 2, json(2)));
        registry.apply(event(EventTypes.KEY_DELETED, "k", 3, null));
        assertNull(registry.get("k"));
        assertTrue(registry.isDeleted("k"));
        registry.apply(event(EventTypes.KEY_UPSERTED, "k", 2, json(2)));
        assertNull(registry.get("k"), "a late event of before the deletion");
        registry.offer("k", 3, json(3));
        assertNull(registry.get("k"), "a look-up answered before the deletion");
        registry.apply(event(EventTypes.KEY_UPSERTED, "k", 4, json(4)));
        assertEquals(4, registry.get("k").version());
    }

    @Test
    void atMostTheConfiguredNumberOfKeysIsHeldDecoded() {
        for (int i = 0; i < 3; i++) {
            registry.apply(event(EventTypes.KEY_UPSERTED, "k" + i, 1, json(i)));
            registry.get("k" + i).state();
        }
        assertEquals(2, decoded.capacity());
        assertFalse(registry.get("k0").isDecoded(), "the first key made room for the third");
        assertTrue(registry.get("k1").isDecoded());
        assertTrue(registry.get("k2").isDecoded());
        assertEquals(KeyRegistry.parse(json(0)), registry.get("k0").state(), "decoded again");
    }

    @Test
    void theSnapshotsPackedKeysComeBackAsTheyWere() {
        registry.apply(event(EventTypes.KEY_UPSERTED, "a", 7, json(7)));
        KeyRegistry restored =
                new KeyRegistry(
                        new QuotaCounters(),
                        new KeyRateLimits(),
                        new OAuthClients(),
                        new DecodedKeys(16));
        registry.forEachPacked(restored::offerPacked);
        assertEquals(7, restored.get("a").version());
        assertEquals(KeyRegistry.parse(json(7)), restored.get("a").state());
        assertThrows(
                MalformedEventException.class,
                () -> restored.offerPacked("b", 1, "not packed".getBytes(StandardCharsets.UTF_8)));
    }
}
