package gatehouse.dashboard.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The Dashboard's {@code ApiResponse} envelope (DASHBOARD.md §1.2): capitalised keys, {@code Meta}
 * always written (null included). {@code access_key} is Gatehouse's: the one time a new or reset
 * credential is shown, since only its digest is kept.
 *
 * @param status {@code OK} or {@code Error}
 * @param message Tyk's text
 * @param meta an id, an object, or null
 * @param accessKey a credential shown once; omitted when null
 */
@JsonPropertyOrder({"Status", "Message", "Meta", "access_key"})
public record DashboardReply(
        @JsonProperty("Status") String status,
        @JsonProperty("Message") String message,
        @JsonProperty("Meta") Object meta,
        @JsonProperty("access_key") @JsonInclude(JsonInclude.Include.NON_NULL) String accessKey) {

    /** A success with a message and meta. */
    public static DashboardReply ok(String message, Object meta) {
        return new DashboardReply("OK", message, meta, null);
    }

    /** An error with Tyk's text. */
    public static DashboardReply error(String message) {
        return new DashboardReply("Error", message, null, null);
    }
}
