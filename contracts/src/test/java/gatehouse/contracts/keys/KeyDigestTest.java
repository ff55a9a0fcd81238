package gatehouse.contracts.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The stored id of a key: HMAC-SHA-256 under the installation's secret, in lower-case hex. */
class KeyDigestTest {

    private static final String SECRET = "a-digest-secret-of-at-least-32-bytes!";

    @Test
    void theIdIsTheHmacInHexAsTheJavaPlatformComputesIt() throws Exception {
        KeyDigest digest = new KeyDigest(SECRET.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        for (String key : new String[] {"", "k", "eyJvcmciOiJvIiwiaWQiOiJhZDI5In0", "ключ-ü"}) {
            String expected =
                    HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, digest.of(key), key);
            assertEquals(expected, digest.of(key), "the same again: " + key);
        }
    }

    @Test
    void anotherSecretGivesAnotherIdAndAShortSecretIsRefused() {
        KeyDigest one = new KeyDigest(SECRET.getBytes(StandardCharsets.UTF_8));
        KeyDigest other = KeyDigest.fromSecrets(null, "an-admin-secret");
        assertNotEquals(one.of("key-1"), other.of("key-1"));
        assertEquals(64, other.of("key-1").length());
        assertThrows(
                IllegalArgumentException.class,
                () -> new KeyDigest("short".getBytes(StandardCharsets.UTF_8)));
    }
}
