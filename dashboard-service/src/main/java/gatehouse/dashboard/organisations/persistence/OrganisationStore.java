package gatehouse.dashboard.organisations.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Stores organisations (the Admin API's; no organisation scope). */
@ApplicationScoped
public class OrganisationStore {

    /** Every organisation, oldest first. */
    public Uni<List<OrganisationEntity>> all() {
        return Panache.withSession(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        db ->
                                                db.createQuery(
                                                                "from OrganisationEntity o order by o.createdAt, o.id",
                                                                OrganisationEntity.class)
                                                        .getResultList()));
    }

    /** An organisation, or null. */
    public Uni<OrganisationEntity> find(String id) {
        return Panache.withSession(
                () -> Panache.getSession().flatMap(db -> db.find(OrganisationEntity.class, id)));
    }

    /**
     * Stores a new organisation.
     *
     * @return false when one with this id exists (nothing written)
     */
    public Uni<Boolean> create(OrganisationEntity org) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        org.createdAt = now;
        org.updatedAt = now;
        return Panache.withTransaction(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        db ->
                                                db.find(OrganisationEntity.class, org.id)
                                                        .flatMap(
                                                                existing ->
                                                                        existing != null
                                                                                ? Uni.createFrom()
                                                                                        .item(false)
                                                                                : db.persist(org)
                                                                                        .replaceWith(
                                                                                                true))));
    }

    /**
     * Replaces an organisation's document.
     *
     * @return false when there is none
     */
    public Uni<Boolean> replace(String id, String ownerName, String document) {
        return Panache.withTransaction(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        db ->
                                                db.find(OrganisationEntity.class, id)
                                                        .map(
                                                                org -> {
                                                                    if (org == null) {
                                                                        return false;
                                                                    }
                                                                    org.ownerName = ownerName;
                                                                    org.document = document;
                                                                    org.updatedAt =
                                                                            OffsetDateTime.now(
                                                                                    ZoneOffset.UTC);
                                                                    return true;
                                                                })));
    }

    /**
     * Deletes an organisation with its users and user groups, in one transaction: the users'
     * credentials stop working at the commit.
     *
     * @return false when there is none
     */
    public Uni<Boolean> delete(String id) {
        return Panache.withTransaction(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        db ->
                                                db.find(OrganisationEntity.class, id)
                                                        .flatMap(
                                                                org -> {
                                                                    if (org == null) {
                                                                        return Uni.createFrom()
                                                                                .item(false);
                                                                    }
                                                                    return db.createMutationQuery(
                                                                                    "delete from UserEntity u where u.orgId = :org")
                                                                            .setParameter("org", id)
                                                                            .executeUpdate()
                                                                            .call(
                                                                                    () ->
                                                                                            db.createMutationQuery(
                                                                                                            "delete from UserGroupEntity g where g.orgId = :org")
                                                                                                    .setParameter(
                                                                                                            "org",
                                                                                                            id)
                                                                                                    .executeUpdate())
                                                                            .call(
                                                                                    () ->
                                                                                            db
                                                                                                    .remove(
                                                                                                            org))
                                                                            .replaceWith(true);
                                                                })));
    }
}
