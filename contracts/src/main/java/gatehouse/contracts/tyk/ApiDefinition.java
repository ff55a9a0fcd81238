package gatehouse.contracts.tyk;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The fields of a Tyk classic API definition that Gatehouse routes on. The full document the client
 * sent is stored and published as is; this view is read from it.
 *
 * @param apiId {@code api_id}
 * @param name {@code name}
 * @param orgId {@code org_id}
 * @param useKeyless {@code use_keyless}: no authentication at all
 * @param domain {@code domain}: host the API answers on, when custom domains are enabled
 * @param proxy {@code proxy}: where requests come in and go out
 * @param enableIpWhitelisting {@code enable_ip_whitelisting}
 * @param allowedIps {@code allowed_ips}: addresses or CIDR ranges let in
 * @param enableIpBlacklisting {@code enable_ip_blacklisting}
 * @param blacklistedIps {@code blacklisted_ips}: addresses or CIDR ranges kept out
 * @param globalRateLimit {@code global_rate_limit}: the API-wide limit, keyless APIs included
 * @param versionData {@code version_data}: the versions and their path rules
 * @param versionDefinition {@code definition}: where the version is read from
 * @param cors {@code CORS} (upper case in Tyk's JSON)
 * @param useStandardAuth {@code use_standard_auth}: token (auth key) authentication
 * @param useBasicAuth {@code use_basic_auth}
 * @param useOAuth2 {@code use_oauth2}: bearer tokens from the API's OAuth clients
 * @param stripAuthData {@code strip_auth_data}: the credentials are not sent upstream
 * @param auth {@code auth}: where the token is read from (legacy field)
 * @param authConfigs {@code auth_configs}: the same per method ({@code authToken}, {@code basic},
 *     ...)
 * @param doNotTrack {@code do_not_track}: the API's requests give no analytics record
 * @param tagHeaders {@code tag_headers}: request headers an analytics record is tagged with
 * @param enableJwt {@code enable_jwt}: JSON Web Tokens (COMPAT §7.1)
 * @param jwtSigningMethod {@code jwt_signing_method}: {@code hmac}, {@code rsa} or {@code ecdsa}
 * @param jwtSource {@code jwt_source}: base64 of the HMAC secret or PEM public key, or a JWKS URL
 *     (plain or base64); empty for a secret per key
 * @param jwtIdentityBaseField {@code jwt_identity_base_field}: the identity claim ({@code sub} when
 *     absent)
 * @param jwtPolicyFieldName {@code jwt_policy_field_name}: the claim naming the policy
 * @param jwtDefaultPolicies {@code jwt_default_policies}
 * @param jwtIssuedAtValidationSkew {@code jwt_issued_at_validation_skew}, seconds
 * @param jwtNotBeforeValidationSkew {@code jwt_not_before_validation_skew}, seconds
 * @param jwtExpiresAtValidationSkew {@code jwt_expires_at_validation_skew}, seconds
 * @param jwtSkipKid {@code jwt_skip_kid}: the {@code kid} header does not name the key
 * @param jwtScopeToPolicyMapping {@code jwt_scope_to_policy_mapping}: scope to policy id
 * @param jwtScopeClaimName {@code jwt_scope_claim_name} ({@code scope} when empty)
 * @param useMutualTlsAuth {@code use_mutual_tls_auth}: a client certificate of {@code
 *     client_certificates} is required
 * @param clientCertificates {@code client_certificates}: certificate ids of {@code /tyk/certs}
 * @param enableSignatureChecking {@code enable_signature_checking}: HMAC-signed requests
 * @param hmacAllowedAlgorithms {@code hmac_allowed_algorithms}: when non-empty, only these
 * @param hmacAllowedClockSkew {@code hmac_allowed_clock_skew}: milliseconds; 0 or less for any
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiDefinition(
        @JsonProperty("api_id") String apiId,
        @JsonProperty("name") String name,
        @JsonProperty("org_id") String orgId,
        @JsonProperty("use_keyless") boolean useKeyless,
        @JsonProperty("domain") String domain,
        @JsonProperty("proxy") Proxy proxy,
        @JsonProperty("enable_ip_whitelisting") boolean enableIpWhitelisting,
        @JsonProperty("allowed_ips") List<String> allowedIps,
        @JsonProperty("enable_ip_blacklisting") boolean enableIpBlacklisting,
        @JsonProperty("blacklisted_ips") List<String> blacklistedIps,
        @JsonProperty("global_rate_limit") GlobalRateLimit globalRateLimit,
        @JsonProperty("version_data") VersionData versionData,
        @JsonProperty("definition") VersionDefinition versionDefinition,
        @JsonProperty("CORS") Cors cors,
        @JsonProperty("use_standard_auth") boolean useStandardAuth,
        @JsonProperty("use_basic_auth") boolean useBasicAuth,
        @JsonProperty("use_oauth2") boolean useOAuth2,
        @JsonProperty("strip_auth_data") boolean stripAuthData,
        @JsonProperty("auth") AuthConfig auth,
        @JsonProperty("auth_configs") Map<String, AuthConfig> authConfigs,
        @JsonProperty("do_not_track") boolean doNotTrack,
        @JsonProperty("tag_headers") List<String> tagHeaders,
        @JsonProperty("enable_jwt") boolean enableJwt,
        @JsonProperty("jwt_signing_method") String jwtSigningMethod,
        @JsonProperty("jwt_source") String jwtSource,
        @JsonProperty("jwt_identity_base_field") String jwtIdentityBaseField,
        @JsonProperty("jwt_policy_field_name") String jwtPolicyFieldName,
        @JsonProperty("jwt_default_policies") List<String> jwtDefaultPolicies,
        @JsonProperty("jwt_issued_at_validation_skew") long jwtIssuedAtValidationSkew,
        @JsonProperty("jwt_not_before_validation_skew") long jwtNotBeforeValidationSkew,
        @JsonProperty("jwt_expires_at_validation_skew") long jwtExpiresAtValidationSkew,
        @JsonProperty("jwt_skip_kid") boolean jwtSkipKid,
        @JsonProperty("jwt_scope_to_policy_mapping") Map<String, String> jwtScopeToPolicyMapping,
        @JsonProperty("jwt_scope_claim_name") String jwtScopeClaimName,
        @JsonProperty("use_mutual_tls_auth") boolean useMutualTlsAuth,
        @JsonProperty("client_certificates") List<String> clientCertificates,
        @JsonProperty("enable_signature_checking") boolean enableSignatureChecking,
        @JsonProperty("hmac_allowed_algorithms") List<String> hmacAllowedAlgorithms,
        @JsonProperty("hmac_allowed_clock_skew") double hmacAllowedClockSkew) {

    /**
     * Where a credential is read from ({@code auth}, {@code auth_configs.*}).
     *
     * @param authHeaderName the header ({@code Authorization} when empty)
     * @param disableHeader do not read the header
     * @param useParam also read a query parameter
     * @param paramName its name (the header name when empty)
     * @param useCookie also read a cookie
     * @param cookieName its name (the header name when empty)
     * @param useCertificate Tyk's dynamic mTLS: the client certificate names the key
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AuthConfig(
            @JsonProperty("auth_header_name") String authHeaderName,
            @JsonProperty("disable_header") boolean disableHeader,
            @JsonProperty("use_param") boolean useParam,
            @JsonProperty("param_name") String paramName,
            @JsonProperty("use_cookie") boolean useCookie,
            @JsonProperty("cookie_name") String cookieName,
            @JsonProperty("use_certificate") boolean useCertificate) {}

    /** Where an HMAC signature is read from: {@code auth_configs.hmac}, else the defaults. */
    public AuthConfig hmacAuth() {
        return authConfigs == null ? null : authConfigs.get("hmac");
    }

    /** Where a JWT is read from: {@code auth_configs.jwt}, else the legacy {@code auth}. */
    public AuthConfig jwtAuth() {
        if (authConfigs != null && authConfigs.get("jwt") != null) {
            return authConfigs.get("jwt");
        }
        return auth;
    }

    /**
     * The token location in force: {@code auth_configs.authToken}, else the legacy {@code auth}.
     */
    public AuthConfig tokenAuth() {
        if (authConfigs != null && authConfigs.get("authToken") != null) {
            return authConfigs.get("authToken");
        }
        return auth;
    }

    /**
     * {@code CORS}: cross-origin rules applied by the gateway.
     *
     * @param enable switched on
     * @param allowedOrigins origins let in; {@code *} for any, one {@code *} wildcard allowed in a
     *     pattern
     * @param allowedMethods methods a preflight may ask for (GET, POST, HEAD when empty)
     * @param allowedHeaders headers a preflight may ask for
     * @param exposedHeaders headers the browser may read
     * @param allowCredentials {@code Access-Control-Allow-Credentials: true}
     * @param maxAge preflight cache seconds
     * @param optionsPassthrough send OPTIONS on to the upstream instead of answering it
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cors(
            @JsonProperty("enable") boolean enable,
            @JsonProperty("allowed_origins") List<String> allowedOrigins,
            @JsonProperty("allowed_methods") List<String> allowedMethods,
            @JsonProperty("allowed_headers") List<String> allowedHeaders,
            @JsonProperty("exposed_headers") List<String> exposedHeaders,
            @JsonProperty("allow_credentials") boolean allowCredentials,
            @JsonProperty("max_age") int maxAge,
            @JsonProperty("options_passthrough") boolean optionsPassthrough) {}

    /**
     * {@code version_data}.
     *
     * @param notVersioned {@code not_versioned}: one version applies to every request
     * @param defaultVersion {@code default_version}: used when a request names none
     * @param versions {@code versions}, by key; lookups go by each version's {@code name}, as in
     *     Tyk
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VersionData(
            @JsonProperty("not_versioned") boolean notVersioned,
            @JsonProperty("default_version") String defaultVersion,
            @JsonProperty("versions") Map<String, VersionInfo> versions) {}

    /**
     * One version.
     *
     * @param name {@code name}: what requests name it by
     * @param expires {@code expires}: {@code 2006-01-02 15:04}, empty for never
     * @param paths {@code paths}: legacy rules for every method
     * @param useExtendedPaths {@code use_extended_paths}: use {@code extended_paths} instead of
     *     {@code paths}
     * @param extendedPaths {@code extended_paths}: rules per method
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VersionInfo(
            @JsonProperty("name") String name,
            @JsonProperty("expires") String expires,
            @JsonProperty("paths") Paths paths,
            @JsonProperty("use_extended_paths") boolean useExtendedPaths,
            @JsonProperty("extended_paths") ExtendedPaths extendedPaths) {}

    /** Legacy {@code paths}: patterns for every method. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Paths(
            @JsonProperty("ignored") List<String> ignored,
            @JsonProperty("white_list") List<String> whiteList,
            @JsonProperty("black_list") List<String> blackList) {}

    /**
     * {@code extended_paths}: entries with a method each.
     *
     * @param ignored {@code ignored}: served without authentication
     * @param whiteList {@code white_list}: the only endpoints served
     * @param blackList {@code black_list}: endpoints refused
     * @param trackEndpoints {@code track_endpoints}: analytics records name the entry's path
     * @param doNotTrackEndpoints {@code do_not_track_endpoints}: no analytics record
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ExtendedPaths(
            @JsonProperty("ignored") List<EndpointMeta> ignored,
            @JsonProperty("white_list") List<EndpointMeta> whiteList,
            @JsonProperty("black_list") List<EndpointMeta> blackList,
            @JsonProperty("track_endpoints") List<EndpointMeta> trackEndpoints,
            @JsonProperty("do_not_track_endpoints") List<EndpointMeta> doNotTrackEndpoints) {}

    /**
     * One extended path rule.
     *
     * @param path the pattern
     * @param method the method it applies to (newer form)
     * @param methodActions the methods it applies to (older form: method to action)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EndpointMeta(
            @JsonProperty("path") String path,
            @JsonProperty("method") String method,
            @JsonProperty("method_actions") Map<String, Object> methodActions) {}

    /**
     * {@code definition}: where a versioned API reads the version.
     *
     * @param location {@code header}, {@code url-param} or {@code url}
     * @param key header or parameter name
     * @param stripPath {@code strip_path}: remove the version from the URL before proxying
     * @param stripVersioningData {@code strip_versioning_data}: the same, newer name
     * @param enabled {@code enabled}: Tyk's multi-API versioning, each version an API of its own
     * @param name {@code name}: this (base) API's own version name
     * @param defaultName {@code default}: the version served when none is asked for ({@code self}
     *     or {@code name} for the base itself)
     * @param fallbackToDefault {@code fallback_to_default}: serve the default for an unknown
     *     version
     * @param versions {@code versions}: version name to the API id serving it
     * @param baseId {@code base_id}: on a child version, the base API's id
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VersionDefinition(
            @JsonProperty("location") String location,
            @JsonProperty("key") String key,
            @JsonProperty("strip_path") boolean stripPath,
            @JsonProperty("strip_versioning_data") boolean stripVersioningData,
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("name") String name,
            @JsonProperty("default") String defaultName,
            @JsonProperty("fallback_to_default") boolean fallbackToDefault,
            @JsonProperty("versions") Map<String, String> versions,
            @JsonProperty("base_id") String baseId) {}

    /**
     * The {@code proxy} section.
     *
     * @param listenPath {@code listen_path}: the path prefix the API is served under
     * @param targetUrl {@code target_url}: the upstream
     * @param stripListenPath {@code strip_listen_path}: remove the listen path before proxying
     * @param enableLoadBalancing {@code enable_load_balancing}: round robin over {@code
     *     target_list}
     * @param targetList {@code target_list}: upstreams when load balancing
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Proxy(
            @JsonProperty("listen_path") String listenPath,
            @JsonProperty("target_url") String targetUrl,
            @JsonProperty("strip_listen_path") boolean stripListenPath,
            @JsonProperty("enable_load_balancing") boolean enableLoadBalancing,
            @JsonProperty("target_list") List<String> targetList) {

        /** A proxy section without load balancing. */
        public Proxy(String listenPath, String targetUrl, boolean stripListenPath) {
            this(listenPath, targetUrl, stripListenPath, false, List.of());
        }
    }

    /**
     * {@code global_rate_limit}: at most {@code rate} requests every {@code per} seconds.
     *
     * @param rate requests allowed per window
     * @param per window in seconds
     * @param disabled switched off
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GlobalRateLimit(
            @JsonProperty("rate") double rate,
            @JsonProperty("per") double per,
            @JsonProperty("disabled") boolean disabled) {

        /** True when the limit applies (a positive rate and window, not disabled). */
        public boolean active() {
            return !disabled && rate > 0 && per > 0;
        }
    }

    /** A definition with routing fields only (no IP lists, no API-wide limit). */
    public static ApiDefinition routing(
            String apiId, boolean useKeyless, String domain, Proxy proxy) {
        return new ApiDefinition(
                apiId,
                apiId,
                null,
                useKeyless,
                domain,
                proxy,
                false,
                List.of(),
                false,
                List.of(),
                null,
                null,
                null,
                null,
                false,
                false,
                false,
                false,
                null,
                null,
                false,
                List.of(),
                false,
                null,
                null,
                null,
                null,
                List.of(),
                0,
                0,
                0,
                false,
                Map.of(),
                null,
                false,
                List.of(),
                false,
                List.of(),
                0);
    }

    /** Reads the routing view of a definition document. */
    public static ApiDefinition of(JsonNode document) {
        try {
            return TykJson.MAPPER.treeToValue(document, ApiDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** Reads the routing view of a definition document given as JSON text. */
    public static ApiDefinition parse(String json) {
        try {
            return of(TykJson.MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }
}
