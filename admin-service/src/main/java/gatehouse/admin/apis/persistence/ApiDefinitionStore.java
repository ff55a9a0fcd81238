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
 * the relay is woken once it has committed. Deleted definitions stay as markers, so the version
 * sequence of an id never restarts and gateways never mistake a re-created API for an old event.
 */
@ApplicationScoped
public class ApiDefinitionStore {

    private final OutboxPublication publication;

    ApiDefinitionStore(OutboxPublication publication) {
        this.publication = publication;
    }

    /** Creates the API, or replaces it when the id exists (Tyk's POST overwrites). */
    public Uni<ApiDefinitionEntity> save(ApiDocument api, ChangeOrigin origin) {
        return change(api.apiId(), origin, existing -> true, api);
    }

    /** Replaces a live API; null when there is none with that id. */
    public Uni<ApiDefinitionEntity> update(ApiDocument api, ChangeOrigin origin) {
        return change(api.apiId(), origin, existing -> existing != null && existing.isLive(), api);
    }

    /** Deletes a live API and publishes a tombstone; null when there is none with that id. */
    public Uni<ApiDefinitionEntity> delete(String apiId, ChangeOrigin origin) {
        return change(apiId, origin, existing -> existing != null && existing.isLive(), null);
    }

    /**
     * One change in one transaction: the row, its next version and the event.
     *
     * @param allowed decides from the current row (null if none) whether the change applies
     * @param api     the new definition, or null to delete
     */
    private Uni<ApiDefinitionEntity> change(String apiId, ChangeOrigin origin,
                                            java.util.function.Predicate<ApiDefinitionEntity> allowed, ApiDocument api) {
        return Panache.withTransaction(() -> ApiDefinitionEntity.<ApiDefinitionEntity>findById(apiId)
                        .flatMap(existing -> {
                            if (!allowed.test(existing)) {
                                return Uni.createFrom().nullItem();
                            }
                            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                            ApiDefinitionEntity entity = existing != null ? existing : created(apiId, now);
                            entity.version++;
                            entity.updatedAt = now;
                            String document;
                            if (api == null) {
                                entity.deletedAt = now;
                                document = null;
                            } else {
                                document = TykJson.encode(api.document()).stripTrailing();
                                entity.deletedAt = null;
                                entity.orgId = api.orgId();
                                entity.listenPath = api.listenPath();
                                entity.document = document;
                            }
                            var event = AdminEvents.event(api == null ? EventTypes.API_DELETED : EventTypes.API_UPSERTED,
                                    apiId, entity.version, origin, document);
                            return entity.<ApiDefinitionEntity>persist()
                                    .call(() -> OutboxEventEntity.of(Topics.APIS.name(), event).persist())
                                    .replaceWith(entity);
                        }))
                .invoke(changed -> {
                    if (changed != null) {
                        publication.wake();
                    }
                });
    }

    private static ApiDefinitionEntity created(String apiId, OffsetDateTime now) {
        ApiDefinitionEntity entity = new ApiDefinitionEntity();
        entity.apiId = apiId;
        entity.createdAt = now;
        entity.version = 0;
        return entity;
    }

    /** A live API, or null. */
    public Uni<ApiDefinitionEntity> find(String apiId) {
        return Panache.withSession(() -> ApiDefinitionEntity.<ApiDefinitionEntity>findById(apiId))
                .map(api -> api != null && api.isLive() ? api : null);
    }

    /** Every live API. */
    public Uni<List<ApiDefinitionEntity>> all() {
        return Panache.withSession(() -> ApiDefinitionEntity.<ApiDefinitionEntity>list("deletedAt is null order by apiId"));
    }
}
