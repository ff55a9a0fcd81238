package gatehouse.contracts.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.tyk.TykJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The sealing of the secrets a session carries. */
class SessionSecretsTest {

    private final SessionSecrets secrets =
            KeyDigest.fromSecrets(null, "an-admin-secret-of-this-installation").sessionSecrets();

    @Test
    void aSessionsSecretsAreSealedAndOpenAgainAndNothingElseChanges() {
        var session =
                TykJson.readObject(
                        "{\"hmac_enabled\":true,\"hmac_string\":\"hmac-secret-1\",\"jwt_data\":{\"secret\":\"jwt-secret-1\"},\"alias\":\"a\"}");
        var sealed = secrets.seal(session);
        String text = sealed.toString();
        assertFalse(text.contains("hmac-secret-1"), text);
        assertFalse(text.contains("jwt-secret-1"), text);
        assertTrue(sealed.path("hmac_string").asText().startsWith(SessionSecrets.SEALED));
        assertEquals("a", sealed.path("alias").asText());
        assertEquals(session, secrets.open(sealed));
        assertEquals(sealed, secrets.seal(sealed), "sealed once only");
        assertEquals("hmac-secret-1", session.path("hmac_string").asText(), "not modified");
    }

    @Test
    void sealingTwiceGivesDifferentTextAndAnEmptySecretStaysEmpty() {
        assertNotEquals(secrets.seal("s"), secrets.seal("s"));
        assertEquals("", secrets.seal(""));
        assertEquals("plain-old-value", secrets.open("plain-old-value"));
    }

    @Test
    void anotherInstallationsOrAnAlteredSealDoesNotOpen() {
        String sealed = secrets.seal("hmac-secret-1");
        var other = KeyDigest.fromSecrets(null, "another-admin-secret-elsewhere").sessionSecrets();
        assertThrows(IllegalArgumentException.class, () -> other.open(sealed));
        char[] chars = sealed.toCharArray();
        int at = chars.length - 3;
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        assertThrows(IllegalArgumentException.class, () -> secrets.open(new String(chars)));
        assertThrows(
                IllegalArgumentException.class, () -> secrets.open(SessionSecrets.SEALED + "!!"));
        assertTrue(new String(sealed.getBytes(StandardCharsets.UTF_8)).length() > 20);
    }
}
