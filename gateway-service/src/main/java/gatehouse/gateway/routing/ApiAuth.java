package gatehouse.gateway.routing;

import gatehouse.contracts.tyk.ApiDefinition;
import gatehouse.gateway.hmac.HmacRules;
import gatehouse.gateway.jwt.JwtRules;

/**
 * How a keyed API authenticates (COMPAT §7.1 step 8), read once from its definition.
 *
 * @param apiName for the basic-auth realm
 * @param orgId the API's org: basic-auth user names become keys of this org; policies must match it
 * @param basicAuth {@code use_basic_auth}
 * @param oauth2 {@code use_oauth2}: bearer tokens issued by the API's OAuth clients
 * @param tokenAuth the auth-key check: {@code use_standard_auth}, or no other method enabled
 * @param headerName the token header ({@code Authorization} by default), or null when disabled
 * @param paramName the query parameter also read, or null
 * @param cookieName the cookie also read, or null
 * @param strip {@code strip_auth_data}: the credential is removed before proxying
 * @param jwt {@code enable_jwt}: how tokens are verified, or null when the API takes no JWTs
 * @param hmac {@code enable_signature_checking}: how signed requests are checked, or null
 * @param useCertificate {@code auth_configs.authToken.use_certificate} (Tyk's dynamic mTLS): over
 *     TLS the client certificate names the key
 */
public record ApiAuth(
        String apiName,
        String orgId,
        boolean basicAuth,
        boolean oauth2,
        boolean tokenAuth,
        String headerName,
        String paramName,
        String cookieName,
        boolean strip,
        JwtRules jwt,
        HmacRules hmac,
        boolean useCertificate) {

    private static final String DEFAULT_HEADER = "Authorization";

    /** The authentication of a definition, or null for a keyless API. */
    public static ApiAuth of(ApiDefinition definition) {
        if (definition.useKeyless()) {
            return null;
        }
        var config = definition.tokenAuth();
        String header =
                config == null || blank(config.authHeaderName())
                        ? DEFAULT_HEADER
                        : config.authHeaderName();
        String param =
                config != null && config.useParam()
                        ? (blank(config.paramName()) ? header : config.paramName())
                        : null;
        String cookie =
                config != null && config.useCookie()
                        ? (blank(config.cookieName()) ? header : config.cookieName())
                        : null;
        boolean token =
                definition.useStandardAuth()
                        || !(definition.useBasicAuth()
                                || definition.useOAuth2()
                                || definition.enableJwt()
                                || definition.enableSignatureChecking());
        return new ApiAuth(
                definition.name() == null ? "" : definition.name(),
                definition.orgId() == null ? "" : definition.orgId(),
                definition.useBasicAuth(),
                definition.useOAuth2(),
                token,
                config != null && config.disableHeader() ? null : header,
                param,
                cookie,
                definition.stripAuthData(),
                JwtRules.of(definition),
                HmacRules.of(definition),
                config != null && config.useCertificate());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
