package gatehouse.dashboard.apis.access.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.apis.access.domain.ApiOwners;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.reactive.mutiny.Mutiny;

/** Stores who owns each API; only users and user groups of the API's organisation may. */
@ApplicationScoped
public class ApiAccessStore {

    private static final TypeReference<List<String>> IDS = new TypeReference<>() {};

    /**
     * What {@link #replace} refused: the ids that are no user, or no user group, of the
     * organisation; both empty when the owners were stored.
     */
    public record Strangers(List<String> userIds, List<String> userGroupIds) {

        public boolean none() {
            return userIds.isEmpty() && userGroupIds.isEmpty();
        }
    }

    /** The API's owners; nobody when none were ever set. */
    public Uni<ApiOwners> ownersOf(String apiId) {
        return Panache.withSession(
                () ->
                        Panache.getSession()
                                .flatMap(db -> db.find(ApiAccessEntity.class, apiId))
                                .map(
                                        row ->
                                                row == null
                                                        ? ApiOwners.NONE
                                                        : new ApiOwners(
                                                                ids(row.userIds),
                                                                ids(row.userGroupIds))));
    }

    /** The owners of each of these APIs that has any, by API id (one query for a page). */
    public Uni<Map<String, ApiOwners>> ownersOf(Collection<String> apiIds) {
        if (apiIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.withSession(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        db ->
                                                db.createSelectionQuery(
                                                                "from ApiAccessEntity a where a.apiId in :ids",
                                                                ApiAccessEntity.class)
                                                        .setParameter("ids", List.copyOf(apiIds))
                                                        .getResultList())
                                .map(
                                        rows -> {
                                            Map<String, ApiOwners> out = new HashMap<>();
                                            rows.forEach(
                                                    row ->
                                                            out.put(
                                                                    row.apiId,
                                                                    new ApiOwners(
                                                                            ids(row.userIds),
                                                                            ids(
                                                                                    row.userGroupIds))));
                                            return out;
                                        }));
    }

    /**
     * Replaces the API's owners, in one transaction with the check that each is the organisation's.
     */
    public Uni<Strangers> replace(String apiId, String orgId, ApiOwners owners) {
        return Panache.withTransaction(
                () ->
                        Panache.getSession()
                                .flatMap(
                                        db ->
                                                strangers(db, "UserEntity", orgId, owners.userIds())
                                                        .flatMap(
                                                                users ->
                                                                        strangers(
                                                                                        db,
                                                                                        "UserGroupEntity",
                                                                                        orgId,
                                                                                        owners
                                                                                                .userGroupIds())
                                                                                .map(
                                                                                        groups ->
                                                                                                new Strangers(
                                                                                                        users,
                                                                                                        groups)))
                                                        .flatMap(
                                                                refused ->
                                                                        refused.none()
                                                                                ? upsert(
                                                                                                db,
                                                                                                apiId,
                                                                                                orgId,
                                                                                                owners)
                                                                                        .replaceWith(
                                                                                                refused)
                                                                                : Uni.createFrom()
                                                                                        .item(
                                                                                                refused))));
    }

    /** Drops the API's owners (the API is gone). */
    public Uni<Void> forget(String apiId) {
        return Panache.withTransaction(
                        () ->
                                Panache.getSession()
                                        .flatMap(
                                                db ->
                                                        db.createMutationQuery(
                                                                        "delete from ApiAccessEntity a where a.apiId = :id")
                                                                .setParameter("id", apiId)
                                                                .executeUpdate()))
                .replaceWithVoid();
    }

    /** The ids that are not of the organisation's rows of that entity. */
    private static Uni<List<String>> strangers(
            Mutiny.Session db, String entity, String orgId, List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return db.createSelectionQuery(
                        "select e.id from " + entity + " e where e.orgId = :org and e.id in :ids",
                        String.class)
                .setParameter("org", orgId)
                .setParameter("ids", ids)
                .getResultList()
                .map(
                        found -> {
                            Set<String> known = new HashSet<>(found);
                            List<String> out = new ArrayList<>();
                            ids.stream().filter(id -> !known.contains(id)).forEach(out::add);
                            return out;
                        });
    }

    /** One statement, so two first writes of the same API cannot both insert. */
    private static Uni<Integer> upsert(
            Mutiny.Session db, String apiId, String orgId, ApiOwners owners) {
        return db.createNativeQuery(
                        "insert into api_access (api_id, org_id, user_ids, user_group_ids,"
                                + " updated_at) values (:api, :org, :users, :groups, :at)"
                                + " on conflict (api_id) do update set org_id = excluded.org_id,"
                                + " user_ids = excluded.user_ids,"
                                + " user_group_ids = excluded.user_group_ids,"
                                + " updated_at = excluded.updated_at")
                .setParameter("api", apiId)
                .setParameter("org", orgId)
                .setParameter("users", json(owners.userIds()))
                .setParameter("groups", json(owners.userGroupIds()))
                .setParameter("at", OffsetDateTime.now(ZoneOffset.UTC))
                .executeUpdate();
    }

    private static String json(List<String> ids) {
        try {
            return TykJson.MAPPER.writeValueAsString(ids);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always JSON", e);
        }
    }

    private static List<String> ids(String json) {
        try {
            return TykJson.MAPPER.readValue(json, IDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("api_access holds a list that is not JSON", e);
        }
    }
}
