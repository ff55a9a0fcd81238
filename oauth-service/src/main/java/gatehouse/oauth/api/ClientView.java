package gatehouse.oauth.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Tyk's client object on the control API ({@code NewClientRequest}); {@code api_id} is never set in
 * answers.
 */
@JsonPropertyOrder({
    "client_id",
    "redirect_uri",
    "api_id",
    "policy_id",
    "secret",
    "meta_data",
    "description"
})
public record ClientView(
        @JsonProperty("client_id") String clientId,
        @JsonProperty("redirect_uri") String redirectUri,
        @JsonProperty("api_id") @JsonInclude(JsonInclude.Include.NON_EMPTY) String apiId,
        @JsonProperty("policy_id") @JsonInclude(JsonInclude.Include.NON_EMPTY) String policyId,
        @JsonProperty("secret") String secret,
        @JsonProperty("meta_data") JsonNode metaData,
        @JsonProperty("description") String description) {}
