package gatehouse.oauth.domain;

/**
 * Tyk's OAuth settings.
 *
 * @param tokenExpire {@code oauth_token_expire}: access token lifetime, seconds (3600)
 * @param refreshExpire {@code oauth_refresh_token_expire}: refresh token lifetime, seconds (14
 *     days)
 * @param codeExpire authorisation code lifetime, seconds (osin: 250)
 * @param errorStatus {@code oauth_error_status_code} (403)
 * @param redirectMode exact (Gatehouse's default) or whole-segment prefix (compatibility)
 * @param redirectSeparator {@code oauth_redirect_uri_separator}: several redirect URIs per client
 *     when set
 * @param hashKeyFunction the key format of access tokens (as keys)
 */
public record OAuthSettings(
        long tokenExpire,
        long refreshExpire,
        long codeExpire,
        int errorStatus,
        RedirectUris.Mode redirectMode,
        String redirectSeparator,
        String hashKeyFunction) {}
