package gatehouse.contracts.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * One request the gateway served, as {@code gatehouse.analytics} carries it: the fields of Tyk's
 * {@code AnalyticsRecord} that apply, with Tyk's JSON names. Never a raw key: {@code api_key} is
 * the key's Tyk {@code key_hash} (empty for keyless APIs and unknown keys).
 *
 * <p>Unlike Tyk's integer milliseconds, {@code request_time} and the latencies are fractional
 * milliseconds: a local upstream answers in well under one.
 *
 * @param method the request method
 * @param host the request's host
 * @param path the path below the listen path, or the tracked endpoint's pattern when {@code
 *     trackPath}
 * @param rawPath the request path as received
 * @param contentLength the request's Content-Length, 0 when absent
 * @param userAgent the User-Agent header, empty when absent
 * @param responseCode the status sent to the client
 * @param apiKey the key's Tyk key hash, or empty
 * @param timestamp when the request arrived
 * @param apiVersion the version served, empty when the API is not versioned
 * @param apiName the API's name
 * @param apiId the API's id
 * @param orgId the API's organisation
 * @param oauthId the OAuth client of the access token, or empty
 * @param requestTime milliseconds from arrival to the end of the response
 * @param latency total and upstream milliseconds
 * @param ipAddress the client address (Tyk's real IP)
 * @param network bytes in and out
 * @param tags Tyk's tags: {@code tag_headers} as {@code name-value}, the key's tags
 * @param alias the key's alias, or empty
 * @param trackPath true when the request matched a {@code track_endpoints} entry
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalyticsRecord(
        @JsonProperty("method") String method,
        @JsonProperty("host") String host,
        @JsonProperty("path") String path,
        @JsonProperty("raw_path") String rawPath,
        @JsonProperty("content_length") long contentLength,
        @JsonProperty("user_agent") String userAgent,
        @JsonProperty("response_code") int responseCode,
        @JsonProperty("api_key") String apiKey,
        @JsonProperty("timestamp") Instant timestamp,
        @JsonProperty("api_version") String apiVersion,
        @JsonProperty("api_name") String apiName,
        @JsonProperty("api_id") String apiId,
        @JsonProperty("org_id") String orgId,
        @JsonProperty("oauth_id") String oauthId,
        @JsonProperty("request_time") double requestTime,
        @JsonProperty("latency") Latency latency,
        @JsonProperty("ip_address") String ipAddress,
        @JsonProperty("network") Network network,
        @JsonProperty("tags") List<String> tags,
        @JsonProperty("alias") String alias,
        @JsonProperty("track_path") boolean trackPath) {

    public AnalyticsRecord {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /**
     * Tyk's latency pair, in milliseconds.
     *
     * @param total arrival to the end of the response
     * @param upstream request sent upstream to the upstream's response headers (0 when the gateway
     *     answered itself)
     */
    public record Latency(
            @JsonProperty("total") double total, @JsonProperty("upstream") double upstream) {}

    /**
     * Tyk's network figures for one request.
     *
     * @param bytesIn bytes read from the client
     * @param bytesOut bytes written to the client
     */
    public record Network(
            @JsonProperty("bytes_in") long bytesIn, @JsonProperty("bytes_out") long bytesOut) {}
}
