package gatehouse.gateway.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies a compact JWS as Tyk's JWT middleware does: the structure, the algorithm against the
 * API's signing method, the signature, then {@code exp}, {@code iat} and {@code nbf} with the API's
 * skews. Pure: the key comes from the caller, so a JWKS or a key's secret is found elsewhere.
 */
public final class JwtVerifier {

    /** Tokens longer than this are refused before any parsing (a header of Vert.x is 8 KiB). */
    public static final int MAX_TOKEN_LENGTH = 8192;

    static final String NOT_AUTHORIZED = "Key not authorized";
    static final String UNEXPECTED_METHOD = "Key not authorized: Unexpected signing method";

    private static final Set<String> REGISTERED =
            Set.of(
                    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                    "ES256", "ES384", "ES512", "none");

    private static final Map<String, String> JCA =
            Map.ofEntries(
                    Map.entry("HS256", "HmacSHA256"),
                    Map.entry("HS384", "HmacSHA384"),
                    Map.entry("HS512", "HmacSHA512"),
                    Map.entry("RS256", "SHA256withRSA"),
                    Map.entry("RS384", "SHA384withRSA"),
                    Map.entry("RS512", "SHA512withRSA"),
                    Map.entry("ES256", "SHA256withECDSAinP1363Format"),
                    Map.entry("ES384", "SHA384withECDSAinP1363Format"),
                    Map.entry("ES512", "SHA512withECDSAinP1363Format"));

    private JwtVerifier() {}

    /**
     * A token split and decoded, not yet verified.
     *
     * @param alg the {@code alg} header
     * @param kid the {@code kid} header when it is a string, else null
     * @param kidPresent whether the header has a {@code kid} at all
     */
    public record Parsed(
            String alg,
            String kid,
            boolean kidPresent,
            ObjectNode claims,
            byte[] signingInput,
            byte[] signature) {}

    /**
     * Why a token is refused.
     *
     * @param status Tyk's status
     * @param message Tyk's text
     */
    public record Refusal(int status, String message) {
        static final Refusal NOT_AUTHORIZED = new Refusal(403, JwtVerifier.NOT_AUTHORIZED);
    }

    /** A refused token, carrying Tyk's status and text. */
    public static final class Refused extends Exception {
        private final Refusal refusal;

        Refused(Refusal refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /**
     * Splits and decodes a token and checks its algorithm against the API's method.
     *
     * @throws Refused a malformed token or an algorithm the method does not allow (403)
     */
    public static Parsed parse(String token, JwtRules.Method method) throws Refused {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new Refused(Refusal.NOT_AUTHORIZED);
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new Refused(Refusal.NOT_AUTHORIZED);
        }
        JsonNode header = json(token.substring(0, first));
        JsonNode claims = json(token.substring(first + 1, second));
        if (!(claims instanceof ObjectNode object)) {
            throw new Refused(Refusal.NOT_AUTHORIZED);
        }
        JsonNode alg = header.path("alg");
        if (!alg.isTextual() || !REGISTERED.contains(alg.asText())) {
            throw new Refused(Refusal.NOT_AUTHORIZED);
        }
        if (!allowed(method, alg.asText())) {
            throw new Refused(new Refusal(403, UNEXPECTED_METHOD));
        }
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(token.substring(second + 1));
        } catch (IllegalArgumentException e) {
            throw new Refused(Refusal.NOT_AUTHORIZED);
        }
        JsonNode kid = header.get("kid");
        return new Parsed(
                alg.asText(),
                kid != null && kid.isTextual() ? kid.asText() : null,
                kid != null,
                object,
                token.substring(0, second).getBytes(StandardCharsets.US_ASCII),
                signature);
    }

    /** Tyk's {@code assertSigningMethod}: {@code none} is never allowed. */
    static boolean allowed(JwtRules.Method method, String alg) {
        return switch (method) {
            case RSA -> alg.startsWith("RS") || alg.startsWith("PS");
            case ECDSA -> alg.startsWith("ES");
            case HMAC, DEFAULT -> alg.startsWith("HS");
        };
    }

    /**
     * Checks the signature with an HMAC secret or a public key.
     *
     * @param secret the HMAC secret (for HS algorithms)
     * @param key the public key (for RS, PS and ES algorithms)
     * @throws Refused a bad signature, or no key of the right kind (403)
     */
    public static void verify(Parsed token, byte[] secret, PublicKey key) throws Refused {
        String alg = token.alg();
        try {
            if (alg.startsWith("HS")) {
                if (secret == null || secret.length == 0) {
                    throw new Refused(Refusal.NOT_AUTHORIZED);
                }
                Mac mac = Mac.getInstance(JCA.get(alg));
                mac.init(new SecretKeySpec(secret, JCA.get(alg)));
                // constant time: the expected signature is secret-derived
                if (!MessageDigest.isEqual(mac.doFinal(token.signingInput()), token.signature())) {
                    throw new Refused(Refusal.NOT_AUTHORIZED);
                }
                return;
            }
            Signature verifier;
            if (alg.startsWith("PS")) {
                if (!(key instanceof RSAPublicKey)) {
                    throw new Refused(Refusal.NOT_AUTHORIZED);
                }
                String hash = "SHA-" + alg.substring(2);
                verifier = Signature.getInstance("RSASSA-PSS");
                verifier.setParameter(
                        new PSSParameterSpec(
                                hash,
                                "MGF1",
                                new MGF1ParameterSpec(hash),
                                Integer.parseInt(alg.substring(2)) / 8,
                                1));
            } else {
                boolean rsa = alg.startsWith("RS");
                if (rsa ? !(key instanceof RSAPublicKey) : !(key instanceof ECPublicKey)) {
                    throw new Refused(Refusal.NOT_AUTHORIZED);
                }
                verifier = Signature.getInstance(JCA.get(alg));
            }
            verifier.initVerify(key);
            verifier.update(token.signingInput());
            if (!verifier.verify(token.signature())) {
                throw new Refused(Refusal.NOT_AUTHORIZED);
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Refused(Refusal.NOT_AUTHORIZED);
        }
    }

    /**
     * Tyk's time checks, after the signature: {@code exp}, {@code iat}, {@code nbf} in that order,
     * the last failing one named; an absent or zero claim passes, a non-number fails.
     *
     * @throws Refused 401 {@code Key not authorized: <reason>}
     */
    public static void checkTimes(ObjectNode claims, JwtRules rules, long nowSeconds)
            throws Refused {
        String failed = null;
        JsonNode exp = claims.get("exp");
        if (present(exp)
                && (!exp.isNumber() || nowSeconds - rules.expiresAtSkew() >= exp.asLong())) {
            failed = "token has expired";
        }
        JsonNode iat = claims.get("iat");
        if (present(iat) && (!iat.isNumber() || nowSeconds + rules.issuedAtSkew() < iat.asLong())) {
            failed = "token used before issued";
        }
        JsonNode nbf = claims.get("nbf");
        if (present(nbf)
                && (!nbf.isNumber() || nowSeconds + rules.notBeforeSkew() < nbf.asLong())) {
            failed = "token is not valid yet";
        }
        if (failed != null) {
            throw new Refused(new Refusal(401, NOT_AUTHORIZED + ": " + failed));
        }
    }

    private static boolean present(JsonNode claim) {
        return claim != null && !claim.isNull() && !(claim.isNumber() && claim.asLong() == 0);
    }

    private static JsonNode json(String segment) throws Refused {
        try {
            return TykJson.MAPPER.readTree(Base64.getUrlDecoder().decode(segment));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new Refused(Refusal.NOT_AUTHORIZED);
        }
    }
}
