package gatehouse.oauth.domain;

import java.util.Map;

/** The OAuth 2.0 error codes osin answers with, and its descriptions (RFC 6749 §4.1.2.1, §5.2). */
public final class OsinErrors {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String UNAUTHORIZED_CLIENT = "unauthorized_client";
    public static final String ACCESS_DENIED = "access_denied";
    public static final String UNSUPPORTED_RESPONSE_TYPE = "unsupported_response_type";
    public static final String INVALID_SCOPE = "invalid_scope";
    public static final String SERVER_ERROR = "server_error";
    public static final String INVALID_CLIENT = "invalid_client";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";

    private static final Map<String, String> DESCRIPTIONS =
            Map.of(
                    INVALID_REQUEST,
                            "The request is missing a required parameter, includes an invalid parameter value, "
                                    + "includes a parameter more than once, or is otherwise malformed.",
                    UNAUTHORIZED_CLIENT,
                            "The client is not authorized to request a token using this method.",
                    ACCESS_DENIED, "The resource owner or authorization server denied the request.",
                    UNSUPPORTED_RESPONSE_TYPE,
                            "The authorization server does not support obtaining a token using this method.",
                    INVALID_SCOPE, "The requested scope is invalid, unknown, or malformed.",
                    SERVER_ERROR,
                            "The authorization server encountered an unexpected condition that prevented it from "
                                    + "fulfilling the request.",
                    INVALID_CLIENT,
                            "Client authentication failed (e.g., unknown client, no client authentication included, "
                                    + "or unsupported authentication method).",
                    INVALID_GRANT,
                            "The provided authorization grant (e.g., authorization code, resource owner credentials) "
                                    + "or refresh token is invalid, expired, revoked, does not match the redirection URI used in the "
                                    + "authorization request, or was issued to another client.",
                    UNSUPPORTED_GRANT_TYPE,
                            "The authorization grant type is not supported by the authorization server.");

    private OsinErrors() {}

    public static String describe(String code) {
        return DESCRIPTIONS.getOrDefault(code, code);
    }

    /** A refusal of one of the per-API OAuth endpoints. */
    public static final class OAuthError extends RuntimeException {

        private final String code;

        public OAuthError(String code) {
            super(code, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }

        public String description() {
            return describe(code);
        }
    }
}
