package gatehouse.contracts.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.events.EventTypes;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The policies an owner other than admin-service needs (keys-service applies them to keys,
 * oauth-service checks clients against them), learned from {@code gatehouse.policies}: every
 * instance reads the whole compacted topic from the beginning on its channel {@code policies}.
 * Switched on with the build property {@code gatehouse.policy-catalog.enabled=true}.
 */
@ApplicationScoped
@IfBuildProperty(name = "gatehouse.policy-catalog.enabled", stringValue = "true")
public class PolicyCatalog {

    private final DocumentCatalog documents =
            new DocumentCatalog("policy", EventTypes.POLICY_UPSERTED, EventTypes.POLICY_DELETED);
    private final AdminReadThrough owner;

    PolicyCatalog(AdminReadThrough owner) {
        this.owner = owner;
    }

    /** The policy with that id, or null; treat it as read-only. */
    public ObjectNode policy(String id) {
        return documents.get(id);
    }

    /**
     * The policy with that id, seeing the caller's own earlier writes: from the catalog when its
     * event has arrived, else read through to admin-service (ADR 0008); null when it does not
     * exist.
     */
    public Uni<ObjectNode> policySeeingWrites(String id) {
        return documents.known(id) ? Uni.createFrom().item(documents.get(id)) : owner.policy(id);
    }

    /**
     * A look-up over the given policies for a synchronous caller (policy application): those the
     * catalog has not heard of yet are read through to admin-service first.
     */
    public Uni<java.util.function.Function<String, ObjectNode>> seeingWrites(
            java.util.Collection<String> ids) {
        java.util.Map<String, ObjectNode> fetched = new java.util.concurrent.ConcurrentHashMap<>();
        Uni<Void> all = Uni.createFrom().voidItem();
        for (String id : new java.util.LinkedHashSet<>(ids)) {
            if (!documents.known(id)) {
                all =
                        all.chain(
                                () ->
                                        owner.policy(id)
                                                .invoke(
                                                        policy -> {
                                                            if (policy != null) {
                                                                fetched.put(id, policy);
                                                            }
                                                        })
                                                .replaceWithVoid());
            }
        }
        return all.map(
                done ->
                        id -> {
                            ObjectNode held = documents.get(id);
                            return held != null ? held : fetched.get(id);
                        });
    }

    @Incoming("policies")
    void consume(ConsumerRecord<String, String> record) {
        documents.consume(record);
    }
}
