package gatehouse.dashboard.apis.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code POST /api/apis}'s answer (DASHBOARD.md §4.3): the envelope with {@code ID}.
 *
 * @param meta the database id
 * @param id the public {@code api_id}
 */
@JsonPropertyOrder({"Status", "Message", "Meta", "ID"})
public record ApiCreated(
        @JsonProperty("Status") String status,
        @JsonProperty("Message") String message,
        @JsonProperty("Meta") String meta,
        @JsonProperty("ID") String id) {

    static ApiCreated of(String databaseId, String apiId) {
        return new ApiCreated("OK", "API created", databaseId, apiId);
    }
}
