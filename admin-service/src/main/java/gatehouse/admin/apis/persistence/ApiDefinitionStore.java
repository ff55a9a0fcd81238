package gatehouse.admin.apis.persistence;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import gatehouse.admin.apis.domain.ApiDocument;
import gatehouse.admin.messaging.AdminEvents;
import gatehouse.admin.messaging.OutboxEventEntity;
import gatehouse.admin.messaging.OutboxPublication;
import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.tyk.TykJson;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Stores API definitions. Every change and its event are written in one transaction (the outbox), and
 * the relay is woken once it has committed.
 */
@ApplicationScoped
public class ApiDefinitionStore {

    private final OutboxPublication publication;

    ApiDefinitionStore(OutboxPublication publication) {
        this.publication = publication;
    }

    /** Creates the API, or replaces it when the id exists (Tyk's POST overwrites). */
    public Uni<ApiDefinitionEntity> save(ApiDocument api, ChangeOrigin origin) {
        String document = TykJson.encode(api.document()).stripTrailing();
        return Panache.withTransaction(() -> ApiDefinitionEntity.<ApiDefinitionEntity>findById(api.apiId())
                .flatMap(existing -> {
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    ApiDefinitionEntity entity = existing != null ? existing : new ApiDefinitionEntity();
                    if (existing == null) {
                        entity.apiId = api.apiId();
                        entity.createdAt = now;
                        entity.version = 0;
                    }
                    entity.orgId = api.orgId();
                    entity.listenPath = api.listenPath();
                    entity.document = document;
                    entity.version++;
                    entity.updatedAt = now;
                    var event = AdminEvents.event(EventTypes.API_UPSERTED, entity.apiId, entity.version, origin, document);
                    return entity.<ApiDefinitionEntity>persist()
                            .call(() -> OutboxEventEntity.of(Topics.APIS.name(), event).persist())
                            .replaceWith(entity);
                }))
                .invoke(publication::wake);
    }

    public Uni<ApiDefinitionEntity> find(String apiId) {
        return Panache.withSession(() -> ApiDefinitionEntity.<ApiDefinitionEntity>findById(apiId));
    }

    public Uni<List<ApiDefinitionEntity>> all() {
        return Panache.withSession(() -> ApiDefinitionEntity.<ApiDefinitionEntity>listAll());
    }
}
