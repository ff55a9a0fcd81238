package gatehouse.gateway.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.MalformedEventException;
import gatehouse.contracts.tyk.TykJson;
import java.util.HashMap;
import java.util.Map;

/**
 * The policies this node knows, built from {@code gatehouse.policies} with the same rules as the
 * APIs: confined to the replicator's thread, versions only move forward, a tombstone's version is
 * kept. Readers get immutable snapshots through {@link PolicyHolder}.
 */
public final class PolicyRegistry {

    private final Map<String, ObjectNode> policies = new HashMap<>();
    private final Map<String, Long> versions = new HashMap<>();

    /**
     * Applies one event.
     *
     * @return true when the policies changed
     * @throws MalformedEventException when the event cannot be applied; nothing is changed then
     */
    public boolean apply(EventEnvelope event) {
        long held = versions.getOrDefault(event.subject(), 0L);
        if (event.version() <= held) {
            return false;
        }
        if (event.isTombstone() || EventTypes.POLICY_DELETED.equals(event.type())) {
            versions.put(event.subject(), event.version());
            return policies.remove(event.subject()) != null;
        }
        if (!EventTypes.POLICY_UPSERTED.equals(event.type())) {
            throw new MalformedEventException(
                    "unknown event type " + event.type() + " on the policies topic");
        }
        JsonNode document;
        try {
            document = TykJson.MAPPER.readTree(event.data());
        } catch (JsonProcessingException e) {
            throw new MalformedEventException(
                    "unreadable policy " + event.subject() + ": " + e.getOriginalMessage());
        }
        if (!(document instanceof ObjectNode policy)
                || !event.subject().equals(policy.path("id").asText())) {
            throw new MalformedEventException(
                    "policy event " + event.subject() + " does not carry that policy");
        }
        versions.put(event.subject(), event.version());
        policies.put(event.subject(), policy);
        return true;
    }

    /** An immutable copy of the current policies, by id. */
    public Map<String, ObjectNode> snapshot() {
        Map<String, ObjectNode> copy = new HashMap<>();
        policies.forEach((id, policy) -> copy.put(id, policy.deepCopy()));
        return Map.copyOf(copy);
    }
}
