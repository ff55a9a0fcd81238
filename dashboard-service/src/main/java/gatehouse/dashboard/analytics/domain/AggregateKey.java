package gatehouse.dashboard.analytics.domain;

import java.time.Instant;

/**
 * What one aggregate row counts: the requests of one organisation in one hour (or day) to one API,
 * with one key, OAuth client, tracked endpoint and response code. Empty strings stand for "none" (a
 * keyless request, an untracked endpoint), so every dimension takes part in the row's identity.
 *
 * @param orgId the API's organisation
 * @param bucket the start of the hour or day (UTC)
 * @param apiId the API
 * @param keyHash the key's Tyk key hash, or empty
 * @param oauthId the OAuth client, or empty
 * @param path the tracked endpoint, or empty when the request's endpoint is not tracked
 * @param code the response code
 */
public record AggregateKey(
        String orgId,
        Instant bucket,
        String apiId,
        String keyHash,
        String oauthId,
        String path,
        int code) {}
