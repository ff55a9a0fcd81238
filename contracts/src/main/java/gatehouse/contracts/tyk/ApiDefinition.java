package gatehouse.contracts.tyk;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of a Tyk classic API definition that Gatehouse routes on. The full document the client
 * sent is stored and published as is; this view is read from it.
 *
 * @param apiId      {@code api_id}
 * @param name       {@code name}
 * @param orgId      {@code org_id}
 * @param useKeyless {@code use_keyless}: no authentication at all
 * @param proxy      {@code proxy}: where requests come in and go out
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiDefinition(@JsonProperty("api_id") String apiId,
                            @JsonProperty("name") String name,
                            @JsonProperty("org_id") String orgId,
                            @JsonProperty("use_keyless") boolean useKeyless,
                            @JsonProperty("proxy") Proxy proxy) {

    /**
     * The {@code proxy} section.
     *
     * @param listenPath      {@code listen_path}: the path prefix the API is served under
     * @param targetUrl       {@code target_url}: the upstream
     * @param stripListenPath {@code strip_listen_path}: remove the listen path before proxying
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Proxy(@JsonProperty("listen_path") String listenPath,
                        @JsonProperty("target_url") String targetUrl,
                        @JsonProperty("strip_listen_path") boolean stripListenPath) {
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
