package gatehouse.contracts.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What {@code gatehouse.keys} carries for one key (the record key is the key's {@link KeyDigest}):
 * the session as stored (policies not applied, no raw key, basic-auth password as its hash) and the
 * quota counted so far, which keys-service owns.
 *
 * @param keyHash Tyk's {@code key_hash} of the key, for look-ups by hash
 * @param session the session document
 * @param quotas used quota per allowance scope ({@code ""} for the key-wide counter)
 * @param usage how far into {@code gatehouse.usage} the counts go, or null before any usage
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyState(
        @JsonProperty("key_hash") String keyHash,
        @JsonProperty("session") ObjectNode session,
        @JsonProperty("quotas") Map<String, QuotaUsage> quotas,
        @JsonProperty("usage") UsagePosition usage) {

    public KeyState {
        quotas = quotas == null ? Map.of() : Map.copyOf(quotas);
    }

    /**
     * One quota counter.
     *
     * @param used requests counted in the current period
     * @param renews when the period ends (unix seconds), 0 when it never renews or has not started
     */
    public record QuotaUsage(
            @JsonProperty("used") long used, @JsonProperty("renews") long renews) {}

    /**
     * A position in {@code gatehouse.usage}: every delta before {@code offset} in that partition is
     * counted.
     *
     * @param partition the partition the key's deltas go to
     * @param offset the next offset not yet counted
     */
    public record UsagePosition(
            @JsonProperty("partition") int partition, @JsonProperty("offset") long offset) {}
}
