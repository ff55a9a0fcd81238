package gatehouse.contracts.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A command broadcast to every gateway node on {@code gatehouse.cluster}; each node carries it out
 * and acknowledges it in its next {@link NodeStatus}.
 *
 * @param id unique command id (also the record key)
 * @param command Tyk's command name, e.g. {@code GroupReload}
 * @param issuedBy the node that published it
 */
@JsonPropertyOrder({"id", "command", "issued_by"})
public record ClusterCommand(
        @JsonProperty("id") String id,
        @JsonProperty("command") String command,
        @JsonProperty("issued_by") String issuedBy) {

    /** Tyk's group reload command. */
    public static final String GROUP_RELOAD = "GroupReload";

    /** The event type of a command. */
    public static final String EVENT_TYPE = "io.gatehouse.cluster.command";
}
