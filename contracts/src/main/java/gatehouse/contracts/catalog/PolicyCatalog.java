package gatehouse.contracts.catalog;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.node.ObjectNode;

import gatehouse.contracts.events.EventTypes;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The policies an owner other than admin-service needs (keys-service applies them to keys,
 * oauth-service checks clients against them), learned from {@code gatehouse.policies}: every instance
 * reads the whole compacted topic from the beginning on its channel {@code policies}. Switched on with
 * the build property {@code gatehouse.policy-catalog.enabled=true}.
 */
@ApplicationScoped
@IfBuildProperty(name = "gatehouse.policy-catalog.enabled", stringValue = "true")
public class PolicyCatalog {

    private final DocumentCatalog documents = new DocumentCatalog("policy", EventTypes.POLICY_UPSERTED,
            EventTypes.POLICY_DELETED);

    /** The policy with that id, or null; treat it as read-only. */
    public ObjectNode policy(String id) {
        return documents.get(id);
    }

    @Incoming("policies")
    void consume(ConsumerRecord<String, String> record) {
        documents.consume(record);
    }
}
