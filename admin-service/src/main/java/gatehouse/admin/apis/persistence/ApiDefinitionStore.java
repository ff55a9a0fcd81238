package gatehouse.admin.apis.persistence;

import gatehouse.admin.apis.domain.ApiDocument;
import gatehouse.admin.documents.VersionedDocuments;
import gatehouse.contracts.audit.AuditJournal;
import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.outbox.OutboxPublication;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Stores API definitions and announces them on {@code gatehouse.apis}. */
@ApplicationScoped
public class ApiDefinitionStore {

    private final VersionedDocuments<ApiDefinitionEntity> documents;

    ApiDefinitionStore(OutboxPublication publication, AuditJournal journal) {
        this.documents =
                new VersionedDocuments<>(
                        new VersionedDocuments.Kind<>(
                                ApiDefinitionEntity.class,
                                ApiDefinitionEntity::new,
                                Topics.APIS,
                                EventTypes.API_UPSERTED,
                                EventTypes.API_DELETED,
                                "api"),
                        publication,
                        journal);
    }

    /** Creates the API, or replaces it when the id exists (Tyk's POST overwrites). */
    public Uni<ApiDefinitionEntity> save(ApiDocument api, ChangeOrigin origin) {
        return documents.save(
                api.apiId(),
                api.orgId(),
                api.document(),
                e -> e.listenPath = api.listenPath(),
                origin);
    }

    /** Replaces a live API; null when there is none with that id. */
    public Uni<ApiDefinitionEntity> update(ApiDocument api, ChangeOrigin origin) {
        return documents.update(
                api.apiId(),
                api.orgId(),
                api.document(),
                e -> e.listenPath = api.listenPath(),
                origin);
    }

    /** Deletes a live API and publishes a tombstone; null when there is none. */
    public Uni<ApiDefinitionEntity> delete(String apiId, ChangeOrigin origin) {
        return documents.delete(apiId, origin);
    }

    /**
     * The id of another live API that claims the same listen path on the same domain, or null: the
     * gateway would serve only one of them (Tyk re-paths the other silently).
     */
    public Uni<String> listenPathClaimedBy(String listenPath, String domain, String apiId) {
        return Panache.withSession(
                        () ->
                                Panache.getSession()
                                        .flatMap(
                                                session ->
                                                        session.createQuery(
                                                                        "from ApiDefinitionEntity where listenPath = :path and deletedAt is null and id <> :id",
                                                                        ApiDefinitionEntity.class)
                                                                .setParameter("path", listenPath)
                                                                .setParameter("id", apiId)
                                                                .getResultList()))
                .map(
                        others ->
                                others.stream()
                                        .filter(
                                                other ->
                                                        sameDomain(
                                                                domainOf(other.document), domain))
                                        .map(other -> other.id)
                                        .findFirst()
                                        .orElse(null));
    }

    private static String domainOf(String document) {
        var parsed = gatehouse.contracts.tyk.TykJson.readObject(document);
        return parsed == null ? "" : parsed.path("domain").asText("");
    }

    private static boolean sameDomain(String a, String b) {
        return (a == null ? "" : a.trim()).equalsIgnoreCase(b == null ? "" : b.trim());
    }

    public Uni<ApiDefinitionEntity> find(String apiId) {
        return documents.find(apiId);
    }

    public Uni<List<ApiDefinitionEntity>> all() {
        return documents.all();
    }
}
