package gatehouse.dashboard.usergroups.persistence;

import gatehouse.dashboard.common.domain.Listing;
import gatehouse.dashboard.common.domain.Pagination;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

/** Stores user groups, confined to the caller's organisation ({@code scope}; null for all). */
@ApplicationScoped
public class UserGroupStore {

    /** A group within the scope, or null. */
    public Uni<UserGroupEntity> find(String id, String scope) {
        return Panache.withSession(
                () -> Panache.getSession().flatMap(db -> load(db, id, scope, false)));
    }

    /** A page of the groups within the scope, oldest first. */
    public Uni<Listing<UserGroupEntity>> list(String scope, Pagination page) {
        String where = scope == null ? "" : " where g.orgId = :org";
        return Panache.withSession(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        db -> {
                                            var rows =
                                                    db.createQuery(
                                                            "from UserGroupEntity g"
                                                                    + where
                                                                    + " order by g.createdAt, g.id",
                                                            UserGroupEntity.class);
                                            var count =
                                                    db.createQuery(
                                                            "select count(g) from UserGroupEntity g"
                                                                    + where,
                                                            Long.class);
                                            if (scope != null) {
                                                rows.setParameter("org", scope);
                                                count.setParameter("org", scope);
                                            }
                                            if (!page.all()) {
                                                rows.setFirstResult(page.offset())
                                                        .setMaxResults(page.limit());
                                            }
                                            return rows.getResultList()
                                                    .flatMap(
                                                            items ->
                                                                    count.getSingleResult()
                                                                            .map(
                                                                                    total ->
                                                                                            new Listing<>(
                                                                                                    items,
                                                                                                    total)));
                                        }));
    }

    /** Stores a new group. */
    public Uni<UserGroupEntity> create(UserGroupEntity group) {
        group.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        return Panache.withTransaction(
                () -> Panache.getSession().flatMap(db -> db.persist(group).replaceWith(group)));
    }

    /**
     * Changes a group under a row lock; {@code change} may throw to refuse.
     *
     * @return the group, or null when there is none within the scope
     */
    public Uni<UserGroupEntity> update(String id, String scope, Consumer<UserGroupEntity> change) {
        return Panache.withTransaction(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        db ->
                                                load(db, id, scope, true)
                                                        .invoke(
                                                                group -> {
                                                                    if (group != null) {
                                                                        change.accept(group);
                                                                    }
                                                                })));
    }

    /**
     * Deletes a group; its members leave it (and keep their own permissions). {@code check} may
     * throw to refuse.
     *
     * @return false when there is none within the scope
     */
    public Uni<Boolean> delete(String id, String scope, Consumer<UserGroupEntity> check) {
        return Panache.withTransaction(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        db ->
                                                load(db, id, scope, true)
                                                        .flatMap(
                                                                group -> {
                                                                    if (group == null) {
                                                                        return Uni.createFrom()
                                                                                .item(false);
                                                                    }
                                                                    check.accept(group);
                                                                    return db.createMutationQuery(
                                                                                    "update UserEntity u set u.groupId = '' where u.groupId = :id")
                                                                            .setParameter("id", id)
                                                                            .executeUpdate()
                                                                            .call(
                                                                                    () ->
                                                                                            db
                                                                                                    .remove(
                                                                                                            group))
                                                                            .replaceWith(true);
                                                                })));
    }

    private static Uni<UserGroupEntity> load(
            Mutiny.Session db, String id, String scope, boolean forUpdate) {
        return db.find(
                        UserGroupEntity.class,
                        id,
                        forUpdate ? LockMode.PESSIMISTIC_WRITE : LockMode.NONE)
                .map(
                        group ->
                                group == null || (scope != null && !scope.equals(group.orgId))
                                        ? null
                                        : group);
    }
}
