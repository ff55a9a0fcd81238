package gatehouse.contracts.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * A gateway node's heartbeat on {@code gatehouse.nodes}, keyed by node id; a tombstone when the
 * node stops. Other nodes count live nodes from it, and group reloads read acknowledgements from
 * it.
 *
 * @param nodeId the node
 * @param ready caught up with the state topics
 * @param apis APIs it serves
 * @param appliedOffset how far it has applied the state topics ({@code gatehouse.apis} and {@code
 *     gatehouse.policies}, sum of partition positions): the version of its state
 * @param lag records on the state topics it has not applied yet
 * @param heartbeatAt when this heartbeat was sent
 * @param acknowledged ids of the latest cluster commands it has carried out, newest last
 */
@JsonPropertyOrder({
    "node_id",
    "ready",
    "apis",
    "applied_offset",
    "lag",
    "heartbeat_at",
    "acknowledged"
})
public record NodeStatus(
        @JsonProperty("node_id") String nodeId,
        @JsonProperty("ready") boolean ready,
        @JsonProperty("apis") int apis,
        @JsonProperty("applied_offset") long appliedOffset,
        @JsonProperty("lag") long lag,
        @JsonProperty("heartbeat_at") Instant heartbeatAt,
        @JsonProperty("acknowledged") List<String> acknowledged) {

    /** The event type of a heartbeat. */
    public static final String EVENT_TYPE = "io.gatehouse.node.heartbeat";
}
