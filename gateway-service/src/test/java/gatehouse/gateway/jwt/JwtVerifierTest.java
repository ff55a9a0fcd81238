package gatehouse.gateway.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** What the verifier refuses before any key is looked for. */
class JwtVerifierTest {

    @Test
    void aTokenOverTheLimitIsRefusedUnparsed() {
        String token = "e30." + "a".repeat(JwtVerifier.MAX_TOKEN_LENGTH) + ".c2ln";
        var refused =
                assertThrows(
                        JwtVerifier.Refused.class,
                        () -> JwtVerifier.parse(token, JwtRules.Method.HMAC));
        assertEquals(403, refused.refusal().status());
        assertEquals("Key not authorized", refused.refusal().message());
    }

    @Test
    void noneIsNeverAnAllowedAlgorithm() {
        for (JwtRules.Method method : JwtRules.Method.values()) {
            assertEquals(false, JwtVerifier.allowed(method, "none"), method.name());
        }
        assertEquals(true, JwtVerifier.allowed(JwtRules.Method.RSA, "PS384"));
        assertEquals(false, JwtVerifier.allowed(JwtRules.Method.ECDSA, "RS256"));
        assertEquals(true, JwtVerifier.allowed(JwtRules.Method.DEFAULT, "HS512"));
    }
}
