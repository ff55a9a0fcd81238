package gatehouse.gateway.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import gatehouse.contracts.tyk.StatusMessage;
import gatehouse.gateway.state.StateReplicator;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tyk's {@code /hello} (liveness: always 200 on GET, with the broker and each owner service in its
 * details) and {@code /ready} (200 once this node has caught up with the state topics: it can
 * serve). Neither needs the secret, and neither fails because a dependency is down: the node keeps
 * serving its last known state, and a down owner only shows in the details and in {@code
 * /tyk/cluster}.
 */
public final class HealthEndpoints {

    /** Tyk's health document. */
    @JsonPropertyOrder({"status", "version", "description", "details"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Health(
            String status, String version, String description, Map<String, Component> details) {}

    /** One dependency's state in {@code details}. */
    @JsonPropertyOrder({"status", "componentType", "time"})
    public record Component(String status, String componentType, String time) {}

    private static final Duration STALE_AFTER = Duration.ofSeconds(10);

    private final StateReplicator replicator;
    private final OwnerDirectory owners;
    private final String version;

    public HealthEndpoints(StateReplicator replicator, OwnerDirectory owners, String version) {
        this.replicator = replicator;
        this.owners = owners;
        this.version = version;
    }

    public void hello(RoutingContext context) {
        if (!"GET".equals(context.request().method().name())) {
            ControlApi.json(context.response(), 405, StatusMessage.error("Method Not Allowed"));
            return;
        }
        Map<String, Component> details = new LinkedHashMap<>();
        Instant lastPoll = replicator.lastPoll();
        if (lastPoll != null) {
            boolean fresh = lastPoll.isAfter(Instant.now().minus(STALE_AFTER));
            details.put(
                    "kafka",
                    new Component(fresh ? "pass" : "fail", "datastore", lastPoll.toString()));
        }
        if (replicator.servingSnapshot()) {
            details.put("snapshot", new Component("warn", "datastore", null));
        }
        for (OwnerDirectory.Reachability owner : owners.reachability()) {
            details.put(
                    owner.name(),
                    new Component(
                            owner.up() ? "pass" : "fail",
                            "system",
                            owner.since() == null ? null : owner.since().toString()));
        }
        String status =
                details.values().stream().allMatch(c -> c.status().equals("pass"))
                        ? "pass"
                        : "warn";
        ControlApi.json(context.response(), 200, new Health(status, version, "Tyk GW", details));
    }

    public void ready(RoutingContext context) {
        if (!replicator.caughtUp()) {
            ControlApi.json(
                    context.response(), 503, StatusMessage.error(replicator.notReadyReason()));
        } else {
            ControlApi.json(
                    context.response(), 200, new Health("pass", version, "Tyk GW Ready", Map.of()));
        }
    }
}
