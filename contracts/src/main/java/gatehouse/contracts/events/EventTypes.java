package gatehouse.contracts.events;

/** CloudEvents {@code type} values used on the topics. */
public final class EventTypes {

    /** An API definition was created or changed; data is the whole definition. */
    public static final String API_UPSERTED = "io.gatehouse.api.upserted";

    /** An API definition was deleted; the record value is null. */
    public static final String API_DELETED = "io.gatehouse.api.deleted";

    /** A policy was created or changed; data is the whole policy. */
    public static final String POLICY_UPSERTED = "io.gatehouse.policy.upserted";

    /** A policy was deleted; the record value is null. */
    public static final String POLICY_DELETED = "io.gatehouse.policy.deleted";

    /** A certificate was added; data is its document (chain, sealed private key). */
    public static final String CERT_UPSERTED = "io.gatehouse.cert.upserted";

    /** A certificate was deleted; the record value is null. */
    public static final String CERT_DELETED = "io.gatehouse.cert.deleted";

    /**
     * A key was created, changed or its quota counted; data is a {@code KeyState}, subject the key
     * digest.
     */
    public static final String KEY_UPSERTED = "io.gatehouse.key.upserted";

    /** A key was deleted; the record value is null, subject the key digest. */
    public static final String KEY_DELETED = "io.gatehouse.key.deleted";

    /**
     * A gateway counted requests against a key's quota; data is a {@code UsageDelta}, subject the
     * key digest.
     */
    public static final String USAGE_RECORDED = "io.gatehouse.usage.recorded";

    /** An organisation session was created or changed; data is the session, subject the org id. */
    public static final String ORG_KEY_UPSERTED = "io.gatehouse.orgkey.upserted";

    /** An organisation session was deleted. */
    public static final String ORG_KEY_DELETED = "io.gatehouse.orgkey.deleted";

    /**
     * An OAuth access token was issued; data is a {@code KeyState} (its session), subject the token
     * digest.
     */
    public static final String OAUTH_TOKEN_UPSERTED = "io.gatehouse.oauthtoken.upserted";

    /** An OAuth access token was revoked or replaced; the record value is null. */
    public static final String OAUTH_TOKEN_DELETED = "io.gatehouse.oauthtoken.deleted";

    /**
     * An OAuth client exists on an API; data {@code {"api_id","client_id","policy_id"}} (never its
     * secret).
     */
    public static final String OAUTH_CLIENT_UPSERTED = "io.gatehouse.oauthclient.upserted";

    /**
     * An OAuth client was deleted: its tokens are refused as revoked. Data {@code
     * {"api_id","client_id","deleted":true}}, not a tombstone, so compaction keeps it.
     */
    public static final String OAUTH_CLIENT_DELETED = "io.gatehouse.oauthclient.deleted";

    /** An entry of the audit log (a committed change or a refused attempt). */
    public static final String AUDIT_RECORDED = "io.gatehouse.audit.recorded";

    /** The subject of an OAuth client's events on {@code gatehouse.oauth-tokens}. */
    public static String oauthClientSubject(String apiId, String clientId) {
        return "oauth-client." + apiId + "." + clientId;
    }

    private EventTypes() {}
}
