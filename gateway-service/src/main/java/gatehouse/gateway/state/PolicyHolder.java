package gatehouse.gateway.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import java.util.Map;

/** The policies in force on this node, replaced whole by the replicator; read by key checks. */
@Singleton
public class PolicyHolder {

    private volatile Map<String, ObjectNode> current = Map.of();

    /** The policies by id; treat the documents as read-only. */
    public Map<String, ObjectNode> current() {
        return current;
    }

    void publish(Map<String, ObjectNode> policies) {
        current = policies;
    }
}
