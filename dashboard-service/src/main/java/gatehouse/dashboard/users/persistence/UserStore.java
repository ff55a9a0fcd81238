package gatehouse.dashboard.users.persistence;

import gatehouse.dashboard.common.domain.Listing;
import gatehouse.dashboard.common.domain.Pagination;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.function.Consumer;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Stores Dashboard users. Every method takes the organisation the caller is confined to ({@code
 * scope}; null for the Admin API and super users): a user of another organisation is not found.
 */
@ApplicationScoped
public class UserStore {

    /** The user whose credential has this digest, or null. */
    public Uni<UserEntity> byCredentialDigest(String digest) {
        return Panache.withSession(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        db ->
                                                db.createQuery(
                                                                "from UserEntity u where u.accessKeyDigest = :d",
                                                                UserEntity.class)
                                                        .setParameter("d", digest)
                                                        .getSingleResultOrNull()));
    }

    /** A user within the scope, or null. */
    public Uni<UserEntity> find(String id, String scope) {
        return Panache.withSession(
                () -> Panache.getSession().flatMap(db -> load(db, id, scope, false)));
    }

    /**
     * A page of the users within the scope, oldest first.
     *
     * @param emailContains only users whose address contains this (any case); null for all
     */
    public Uni<Listing<UserEntity>> list(String scope, String emailContains, Pagination page) {
        String where =
                " where 1 = 1"
                        + (scope == null ? "" : " and u.orgId = :org")
                        + (emailContains == null
                                ? ""
                                : " and lower(u.emailAddress) like :q escape '!'");
        return Panache.withSession(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        db -> {
                                            var rows =
                                                    db.createQuery(
                                                            "from UserEntity u"
                                                                    + where
                                                                    + " order by u.createdAt, u.id",
                                                            UserEntity.class);
                                            var count =
                                                    db.createQuery(
                                                            "select count(u) from UserEntity u"
                                                                    + where,
                                                            Long.class);
                                            if (scope != null) {
                                                rows.setParameter("org", scope);
                                                count.setParameter("org", scope);
                                            }
                                            if (emailContains != null) {
                                                String like =
                                                        "%" + likeEscaped(emailContains) + "%";
                                                rows.setParameter("q", like);
                                                count.setParameter("q", like);
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

    /**
     * Stores a new user.
     *
     * @throws DuplicateEmailException (as the Uni's failure) when its organisation has the address
     */
    public Uni<UserEntity> create(UserEntity user) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        user.createdAt = now;
        user.updatedAt = now;
        return Panache.withTransaction(
                        () ->
                                Panache.getSession()
                                        .flatMap(
                                                db ->
                                                        emailTaken(
                                                                        db,
                                                                        user.orgId,
                                                                        user.emailAddress,
                                                                        user.id)
                                                                .flatMap(
                                                                        taken -> {
                                                                            if (taken) {
                                                                                return Uni
                                                                                        .createFrom()
                                                                                        .failure(
                                                                                                new DuplicateEmailException());
                                                                            }
                                                                            return db.persist(user)
                                                                                    .replaceWith(
                                                                                            user);
                                                                        })))
                .onFailure(UserStore::isEmailConflict)
                .transform(e -> new DuplicateEmailException());
    }

    /**
     * Changes a user under a row lock; {@code change} may throw to refuse (nothing is written).
     *
     * @return the changed user, or null when there is none within the scope
     */
    public Uni<UserEntity> update(String id, String scope, Consumer<UserEntity> change) {
        return Panache.withTransaction(
                        () ->
                                Panache.getSession()
                                        .flatMap(
                                                db ->
                                                        load(db, id, scope, true)
                                                                .invoke(
                                                                        user -> {
                                                                            if (user != null) {
                                                                                change.accept(user);
                                                                                user.updatedAt =
                                                                                        OffsetDateTime
                                                                                                .now(
                                                                                                        ZoneOffset
                                                                                                                .UTC);
                                                                            }
                                                                        })))
                .onFailure(UserStore::isEmailConflict)
                .transform(e -> new DuplicateEmailException());
    }

    // the unique index on (organisation, lower(email)) decides a race between two writers
    private static boolean isEmailConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("dashboard_user_email")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * Deletes a user; {@code check} may throw to refuse.
     *
     * @return false when there is none within the scope
     */
    public Uni<Boolean> delete(String id, String scope, Consumer<UserEntity> check) {
        return Panache.withTransaction(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        db ->
                                                load(db, id, scope, true)
                                                        .flatMap(
                                                                user -> {
                                                                    if (user == null) {
                                                                        return Uni.createFrom()
                                                                                .item(false);
                                                                    }
                                                                    check.accept(user);
                                                                    return db.remove(user)
                                                                            .replaceWith(true);
                                                                })));
    }

    private static Uni<UserEntity> load(
            Mutiny.Session db, String id, String scope, boolean forUpdate) {
        return db.find(UserEntity.class, id, forUpdate ? LockMode.PESSIMISTIC_WRITE : LockMode.NONE)
                .map(
                        user ->
                                user == null || (scope != null && !scope.equals(user.orgId))
                                        ? null
                                        : user);
    }

    private static Uni<Boolean> emailTaken(
            Mutiny.Session db, String orgId, String email, String exceptId) {
        var query =
                db.createQuery(
                                "select count(u) from UserEntity u where lower(u.emailAddress) = :e"
                                        + " and u.id <> :id and "
                                        + (orgId == null ? "u.orgId is null" : "u.orgId = :org"),
                                Long.class)
                        .setParameter("e", email.toLowerCase(Locale.ROOT))
                        .setParameter("id", exceptId);
        if (orgId != null) {
            query.setParameter("org", orgId);
        }
        return query.getSingleResult().map(n -> n > 0);
    }

    private static String likeEscaped(String text) {
        return text.toLowerCase(Locale.ROOT)
                .replace("!", "!!")
                .replace("%", "!%")
                .replace("_", "!_");
    }
}
