package gatehouse.contracts.tyk;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Tyk's answer to a successful write: {@code {"key":"…","status":"ok","action":"added"}}, with
 * {@code key_hash} only when set.
 *
 * @param key the id of what was written (may be empty, never null)
 * @param status always {@code ok}
 * @param action {@code added}, {@code modified}, {@code deleted} or {@code updated}
 * @param keyHash Tyk's key hash, or null to omit it
 */
@JsonPropertyOrder({"key", "status", "action", "key_hash"})
public record ModifyResult(
        String key,
        String status,
        String action,
        @JsonProperty("key_hash") @JsonInclude(JsonInclude.Include.NON_EMPTY) String keyHash) {

    public static ModifyResult added(String key) {
        return new ModifyResult(key, "ok", "added", null);
    }

    public static ModifyResult modified(String key) {
        return new ModifyResult(key, "ok", "modified", null);
    }

    public static ModifyResult deleted(String key) {
        return new ModifyResult(key, "ok", "deleted", null);
    }
}
