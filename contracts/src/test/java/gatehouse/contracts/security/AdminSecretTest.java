package gatehouse.contracts.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdminSecretTest {

    @Test
    void onlyTheExactSecretMatches() {
        var secret = AdminSecret.of("352d20ee67be67f6340b4c0605b044b7", false);
        assertTrue(secret.matches("352d20ee67be67f6340b4c0605b044b7"));
        assertFalse(secret.matches("352d20ee67be67f6340b4c0605b044b"));
        assertFalse(secret.matches("352d20ee67be67f6340b4c0605b044b77"));
        assertFalse(secret.matches(""));
        assertFalse(secret.matches(null));
    }

    @Test
    void anEmptySecretIsRefusedUnlessExplicitlyAllowed() {
        var e = assertThrows(IllegalStateException.class, () -> AdminSecret.of("", false));
        assertTrue(e.getMessage().contains("TYK_GW_SECRET"));
        var demo = AdminSecret.of("", true);
        assertTrue(demo.matches(null));
        assertFalse(demo.matches("x"));
    }

    @Test
    void toStringDoesNotRevealTheSecret() {
        assertFalse(AdminSecret.of("topsecret", false).toString().contains("topsecret"));
    }
}
