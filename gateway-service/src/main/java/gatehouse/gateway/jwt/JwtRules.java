package gatehouse.gateway.jwt;

import gatehouse.contracts.tyk.ApiDefinition;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How an API checks JSON Web Tokens ({@code enable_jwt}), read once from its definition (Tyk's
 * {@code JWTMiddleware}; docs/research/tyk-jwt-behaviour.md).
 *
 * @param method {@code jwt_signing_method}
 * @param source where the verification key comes from
 * @param secret the HMAC secret of a static source (also used, as Tyk does, when the method is
 *     {@code hmac} and the source is PEM text)
 * @param publicKey the public key of a static source, or null when it is none or does not parse
 * @param jwksUrl the JWKS URL of a JWKS source
 * @param identityBaseField {@code jwt_identity_base_field}, or null for {@code sub}
 * @param policyFieldName {@code jwt_policy_field_name}, or null
 * @param defaultPolicies {@code jwt_default_policies}
 * @param issuedAtSkew {@code jwt_issued_at_validation_skew}, seconds
 * @param notBeforeSkew {@code jwt_not_before_validation_skew}, seconds
 * @param expiresAtSkew {@code jwt_expires_at_validation_skew}, seconds
 * @param skipKid {@code jwt_skip_kid}
 * @param scopeToPolicy {@code jwt_scope_to_policy_mapping}
 * @param scopeClaimName {@code jwt_scope_claim_name}, {@code scope} by default
 * @param headerName the header the token is read from ({@code auth_configs.jwt}, else {@code
 *     auth}), or null when disabled
 * @param paramName the query parameter also read, or null
 * @param cookieName the cookie also read, or null
 */
public record JwtRules(
        Method method,
        Source source,
        byte[] secret,
        PublicKey publicKey,
        String jwksUrl,
        String identityBaseField,
        String policyFieldName,
        List<String> defaultPolicies,
        long issuedAtSkew,
        long notBeforeSkew,
        long expiresAtSkew,
        boolean skipKid,
        Map<String, String> scopeToPolicy,
        String scopeClaimName,
        String headerName,
        String paramName,
        String cookieName) {

    /** {@code jwt_signing_method}: the algorithm families a token may use. */
    public enum Method {
        HMAC,
        RSA,
        ECDSA,
        /** anything else: HMAC only, as Tyk treats an unknown method */
        DEFAULT;

        static Method of(String name) {
            return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
                case "hmac" -> HMAC;
                case "rsa" -> RSA;
                case "ecdsa" -> ECDSA;
                default -> DEFAULT;
            };
        }
    }

    /** Where the verification key comes from. */
    public enum Source {
        /** {@code jwt_source} is the key itself (base64 of a secret or PEM) */
        STATIC,
        /** {@code jwt_source} is a JWKS URL */
        JWKS,
        /**
         * {@code jwt_source} is empty: the token names a key whose {@code jwt_data.secret} is used
         */
        PER_KEY,
        /** {@code jwt_source} is neither base64 nor a URL: every token is refused, as on Tyk */
        INVALID
    }

    private static final Pattern URL = Pattern.compile("^(?i)https?://.*");

    /** The rules of a definition, or null when it does not use JWTs. */
    public static JwtRules of(ApiDefinition definition) {
        if (!definition.enableJwt()) {
            return null;
        }
        Method method = Method.of(definition.jwtSigningMethod());
        var config = definition.jwtAuth();
        String named =
                config == null || blankToNull(config.authHeaderName()) == null
                        ? "Authorization"
                        : config.authHeaderName();
        String header = config != null && config.disableHeader() ? null : named;
        // Tyk adopts a custom header name only inside its header branch
        String fallback = header == null ? "Authorization" : header;
        String param =
                config != null && config.useParam()
                        ? (blankToNull(config.paramName()) == null ? fallback : config.paramName())
                        : null;
        String cookie =
                config != null && config.useCookie()
                        ? (blankToNull(config.cookieName()) == null
                                ? fallback
                                : config.cookieName())
                        : null;
        String raw = definition.jwtSource() == null ? "" : definition.jwtSource().trim();
        Source source;
        byte[] secret = null;
        PublicKey key = null;
        String jwks = null;
        if (raw.isEmpty()) {
            source = Source.PER_KEY;
        } else if (URL.matcher(raw).matches()) {
            // Tyk v5.9+ refuses a plain URL after its first use (tyk#7461); both forms work here
            source = Source.JWKS;
            jwks = raw;
        } else {
            byte[] decoded;
            try {
                // Go's standard decoding: padding required, line breaks ignored
                decoded = Base64.getDecoder().decode(raw.replace("\r", "").replace("\n", ""));
            } catch (IllegalArgumentException e) {
                decoded = null;
            }
            if (decoded == null || decoded.length == 0) {
                source = Source.INVALID;
            } else if (URL.matcher(new String(decoded, StandardCharsets.UTF_8)).matches()) {
                source = Source.JWKS;
                jwks = new String(decoded, StandardCharsets.UTF_8).trim();
            } else {
                source = Source.STATIC;
                secret = decoded;
                key = publicKey(decoded);
            }
        }
        return new JwtRules(
                method,
                source,
                secret,
                key,
                jwks,
                blankToNull(definition.jwtIdentityBaseField()),
                blankToNull(definition.jwtPolicyFieldName()),
                definition.jwtDefaultPolicies() == null
                        ? List.of()
                        : List.copyOf(definition.jwtDefaultPolicies()),
                Math.max(0, definition.jwtIssuedAtValidationSkew()),
                Math.max(0, definition.jwtNotBeforeValidationSkew()),
                Math.max(0, definition.jwtExpiresAtValidationSkew()),
                definition.jwtSkipKid(),
                definition.jwtScopeToPolicyMapping() == null
                        ? Map.of()
                        : Map.copyOf(definition.jwtScopeToPolicyMapping()),
                blankToNull(definition.jwtScopeClaimName()) == null
                        ? "scope"
                        : definition.jwtScopeClaimName(),
                header,
                param,
                cookie);
    }

    /**
     * A public key from PEM or DER: an X.509 SubjectPublicKeyInfo, else a certificate's key (Tyk's
     * {@code ParseRSAPublicKey}/{@code ParseECPublicKey}); null when it is neither.
     */
    public static PublicKey publicKey(byte[] material) {
        byte[] der = material;
        String text = new String(material, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN ");
        if (begin >= 0) {
            int bodyStart = text.indexOf('\n', begin);
            int end = text.indexOf("-----END ", bodyStart < 0 ? begin : bodyStart);
            if (bodyStart < 0 || end < 0) {
                return null;
            }
            String label = text.substring(begin + 11, text.indexOf("-----", begin + 11));
            try {
                der = Base64.getMimeDecoder().decode(text.substring(bodyStart, end));
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (label.contains("CERTIFICATE")) {
                return certificateKey(der);
            }
            if (!label.equals("PUBLIC KEY")) {
                return null; // PKCS#1 "RSA PUBLIC KEY" is refused by Tyk too
            }
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm)
                        .generatePublic(new X509EncodedKeySpec(der));
            } catch (java.security.GeneralSecurityException e) {
                // the other algorithm, then a certificate
            }
        }
        return certificateKey(der);
    }

    private static PublicKey certificateKey(byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der))
                    .getPublicKey();
        } catch (java.security.cert.CertificateException e) {
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
