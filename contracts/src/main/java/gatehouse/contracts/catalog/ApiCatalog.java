package gatehouse.contracts.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.events.EventTypes;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The API definitions an owner other than admin-service needs (oauth-service checks clients and
 * serves each OAuth2 API's endpoints with them), learned from {@code gatehouse.apis} on the channel
 * {@code apis}. Switched on with the build property {@code gatehouse.api-catalog.enabled=true}.
 */
@ApplicationScoped
@IfBuildProperty(name = "gatehouse.api-catalog.enabled", stringValue = "true")
public class ApiCatalog {

    private final DocumentCatalog documents =
            new DocumentCatalog("API", EventTypes.API_UPSERTED, EventTypes.API_DELETED);
    private final AdminReadThrough owner;

    ApiCatalog(AdminReadThrough owner) {
        this.owner = owner;
    }

    /** The definition with that api_id, or null; treat it as read-only. */
    public ObjectNode api(String apiId) {
        return documents.get(apiId);
    }

    /**
     * The definition with that api_id, seeing the caller's own earlier writes: from the catalog
     * when its event has arrived, else read through to admin-service (ADR 0008); null when it does
     * not exist.
     */
    public Uni<ObjectNode> apiSeeingWrites(String apiId) {
        return documents.known(apiId)
                ? Uni.createFrom().item(documents.get(apiId))
                : owner.api(apiId);
    }

    @Incoming("apis")
    void consume(ConsumerRecord<String, String> record) {
        documents.consume(record);
    }
}
