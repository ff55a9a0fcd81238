package gatehouse.contracts.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.tyk.TykJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The sealing of the secrets a session carries. */
class SessionSecretsTest {

    private final SessionSecrets sealing =
            KeyDigest.fromSecrets(null, "an-admin-secret-of-this-installation").sessionSecrets();

    @Test
    void aSessionsSecretsAreSealedAndOpenAgainAndNothingElseChanges() {
        var session =
                TykJson.readObject(
                        "{\"hmac_enabled\":true,\"hmac_string\":\"hmac-value-1\",\"jwt_data\":{\"secret\":\"jwt-value-1\"},\"alias\":\"a\"}");
        var sealed = sealing.seal(session);
        String text = sealed.toString();
        assertFalse(text.contains("hmac-value-1"), text);
        assertFalse(text.contains("jwt-value-1"), text);
        assertTrue(sealed.path("hmac_string").asText().startsWith(SessionSecrets.SEALED));
        assertEquals("a", sealed.path("alias").asText());
        assertEquals(session, sealing.open(sealed));
        assertEquals(sealed, sealing.seal(sealed), "sealed once only");
        assertEquals(
                "hmac-value-1", session.path("hmac_string").asText(), "the session is unchanged");
    }

    @Test
    void sealingTwiceGivesDifferentTextAndAnEmptySecretStaysEmpty() {
        assertNotEquals(sealing.seal("s"), sealing.seal("s"));
        assertEquals("", sealing.seal(""));
        assertEquals("plain-old-value", sealing.open("plain-old-value"));
    }

    @Test
    void anotherInstallationsOrAnAlteredSealDoesNotOpen() {
        String sealed = sealing.seal("hmac-value-1");
        var other = KeyDigest.fromSecrets(null, "another-admin-secret-elsewhere").sessionSecrets();
        assertThrows(IllegalArgumentException.class, () -> other.open(sealed));
        // one bit of the ciphertext flipped (a base64 character can differ in padding bits only)
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(SessionSecrets.SEALED.length()));
        bytes[bytes.length / 2] ^= 1;
        String altered = SessionSecrets.SEALED + Base64.getEncoder().encodeToString(bytes);
        assertThrows(IllegalArgumentException.class, () -> sealing.open(altered));
        assertThrows(
                IllegalArgumentException.class, () -> sealing.open(SessionSecrets.SEALED + "!!"));
        assertTrue(new String(sealed.getBytes(StandardCharsets.UTF_8)).length() > 20);
    }
}
