package gatehouse.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.keys.KeyState;
import gatehouse.contracts.tyk.SessionDocuments;
import gatehouse.contracts.tyk.TykJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packed form a node holds each key in between requests. */
class PackedKeyStateTest {

    /** A key as keys-service publishes one: every session field, a right, a limit, a quota. */
    static byte[] typicalKey(int i) {
        ObjectNode session = TykJson.MAPPER.createObjectNode();
        session.put("rate", 100 + i % 7).put("per", 1).put("quota_max", 10_000);
        session.put("quota_renewal_rate", 86_400).put("org_id", "org-" + (i % 3));
        session.put("last_updated", Long.toString(1_764_000_000L + i));
        session.put("date_created", "2026-12-04T02:0" + (i % 10) + ":00.123456789Z");
        ObjectNode right =
                SessionDocuments.accessDefinitionWithDefaults(
                        TykJson.MAPPER
                                .createObjectNode()
                                .put("api_id", "api-" + (i % 50))
                                .put("api_name", "Orders " + (i % 50)));
        right.putArray("versions").add("Default");
        session.putObject("access_rights").set("api-" + (i % 50), right);
        session.putObject("meta_data").put("user", "user-" + i + "@example.com");
        session.put("alias", "customer-" + i);
        String json =
                TykJson.encode(
                                new KeyState(
                                        String.format("%016x", i * 0x9E3779B97F4A7C15L),
                                        SessionDocuments.withDefaults(session),
                                        Map.of(
                                                "",
                                                new KeyState.QuotaUsage(i % 100, 1_765_000_000L)),
                                        new KeyState.UsagePosition(i % 3, i * 17L)))
                        .stripTrailing();
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aKeyRoundTripsExactly() {
        for (int i = 0; i < 100; i++) {
            byte[] json = typicalKey(i);
            assertArrayEquals(json, PackedKeyState.unpack(PackedKeyState.pack(json)));
        }
        byte[] odd =
                "{\"session\":{\"x\":\"\u00e9\u4e2d\uD83D\uDE00\"}}"
                        .getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(odd, PackedKeyState.unpack(PackedKeyState.pack(odd)));
        byte[] big = new byte[100_000];
        new java.util.Random(7).nextBytes(big);
        assertArrayEquals(big, PackedKeyState.unpack(PackedKeyState.pack(big)));
    }

    @Test
    void aTypicalKeyPacksToAFifthOfItsJson() {
        long json = 0;
        long packed = 0;
        for (int i = 0; i < 1_000; i++) {
            byte[] text = typicalKey(i);
            json += text.length;
            packed += PackedKeyState.pack(text).length;
        }
        System.out.printf("json %d B, packed %d B per key%n", json / 1000, packed / 1000);
        assertTrue(json / 1000 > 1_000, "the fixture is a full Tyk session: " + json / 1000);
        assertTrue(packed * 5 < json, "packed " + packed / 1000 + " B of " + json / 1000 + " B");
    }

    @Test
    void bytesThatWereNotPackedAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> PackedKeyState.unpack("not deflate".getBytes(StandardCharsets.UTF_8)));
        byte[] packed = PackedKeyState.pack(typicalKey(1));
        assertThrows(
                IllegalArgumentException.class,
                () -> PackedKeyState.unpack(java.util.Arrays.copyOf(packed, packed.length / 2)));
        assertEquals(
                TykJson.MAPPER.createObjectNode().put("x", 1).toString(),
                new String(
                        PackedKeyState.unpack(PackedKeyState.pack("{\"x\":1}".getBytes())),
                        StandardCharsets.UTF_8));
    }
}
