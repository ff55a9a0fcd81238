package gatehouse.gateway.hmac;

import gatehouse.contracts.tyk.ApiDefinition;
import java.util.List;

/**
 * How an API checks HMAC-signed requests ({@code enable_signature_checking}), read once from its
 * definition (Tyk's {@code HTTPSignatureValidationMiddleware}).
 *
 * @param headerName the header the signature is read from ({@code auth_configs.hmac}, else {@code
 *     Authorization})
 * @param allowedAlgorithms {@code hmac_allowed_algorithms}; empty allows every one
 * @param allowedClockSkewMillis {@code hmac_allowed_clock_skew}; 0 or less for any date
 */
public record HmacRules(
        String headerName, List<String> allowedAlgorithms, double allowedClockSkewMillis) {

    /** The rules of a definition, or null when it takes no signed requests. */
    public static HmacRules of(ApiDefinition definition) {
        if (!definition.enableSignatureChecking()) {
            return null;
        }
        var config = definition.hmacAuth();
        String header =
                config == null
                                || config.authHeaderName() == null
                                || config.authHeaderName().isBlank()
                        ? "Authorization"
                        : config.authHeaderName();
        return new HmacRules(
                header,
                definition.hmacAllowedAlgorithms() == null
                        ? List.of()
                        : List.copyOf(definition.hmacAllowedAlgorithms()),
                definition.hmacAllowedClockSkew());
    }
}
