package gatehouse.contracts.keys;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Requests one gateway node let through against one quota counter since its last report, published
 * on {@code gatehouse.usage} keyed by the key's {@link KeyDigest}. keys-service adds them to the
 * durable count; the other nodes add them to their estimate at once.
 *
 * @param node the reporting gateway node
 * @param scope the allowance scope ({@code ""} for the key-wide counter)
 * @param delta requests counted
 * @param renewalRate the counter's {@code quota_renewal_rate} as the node applied it (seconds, 0 =
 *     never)
 */
public record UsageDelta(
        @JsonProperty("node") String node,
        @JsonProperty("scope") String scope,
        @JsonProperty("delta") long delta,
        @JsonProperty("renewal_rate") long renewalRate) {}
