package gatehouse.admin.policies.persistence;

import gatehouse.admin.documents.DocumentLists;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Dashboard's lists of policies, read where they are stored: by {@code id}, or by the
 * Dashboard's database id (the policy's {@code _id}), and searched with the Dashboard's policy
 * filters ({@link Search}).
 */
@Singleton
public class PolicyLists extends DocumentLists {

    /**
     * A policy's state as the Dashboard names it: its {@code state} when it has one, else {@code
     * deny} for an inactive policy, {@code active} for an active one, {@code draft} otherwise.
     */
    static final String STATE =
            "coalesce(nullif(document::jsonb ->> 'state', ''), case"
                    + " when document::jsonb -> 'is_inactive' = 'true'::jsonb then 'deny'"
                    + " when document::jsonb -> 'active' = 'true'::jsonb then 'active'"
                    + " else 'draft' end)";

    /** The orders a search may ask for: the Dashboard's policy names and the lists' names. */
    private static final Map<String, String> ORDERS =
            Map.ofEntries(
                    Map.entry("name", "lower(name) asc, id asc"),
                    Map.entry("-name", "lower(name) desc, id desc"),
                    Map.entry("date_created", "created_at asc, id asc"),
                    Map.entry("-date_created", "created_at desc, id desc"),
                    Map.entry("created_at", "created_at asc, id asc"),
                    Map.entry("-created_at", "created_at desc, id desc"),
                    Map.entry("updated_at", "updated_at asc, id asc"),
                    Map.entry("-updated_at", "updated_at desc, id desc"),
                    Map.entry("state", STATE + " asc, lower(name) asc, id asc"),
                    Map.entry("-state", STATE + " desc, lower(name) desc, id desc"));

    private static final String DEFAULT_ORDER = "-created_at";

    /**
     * What a policy search asks for.
     *
     * @param orgId the organisation; null for every one
     * @param q a policy id (either), or else a substring of the name, case-insensitive; null or
     *     empty for all
     * @param policyIds policies by id (either); when not empty, {@code q} is ignored
     * @param activeOnly only policies whose {@code active} is true
     * @param state {@code active}, {@code draft} or {@code deny} (see {@link #STATE}); null for any
     * @param apiIds policies granting any of these APIs ({@code access_rights}); empty for any
     * @param sort one of {@link #ORDERS}; null for the newest first
     * @param offset the first row
     * @param limit how many rows; 0 for all
     */
    public record Search(
            String orgId,
            String q,
            List<String> policyIds,
            boolean activeOnly,
            String state,
            List<String> apiIds,
            String sort,
            int offset,
            int limit) {

        public Search {
            policyIds = policyIds == null ? List.of() : List.copyOf(policyIds);
            apiIds = apiIds == null ? List.of() : List.copyOf(apiIds);
        }

        /** True when the sort is one a search knows (or none). */
        public boolean knownSort() {
            return sort == null || sort.isEmpty() || ORDERS.containsKey(sort);
        }
    }

    private final Pool pool;

    PolicyLists(Pool pool) {
        super(pool, "policy", "id");
        this.pool = pool;
    }

    /** A page of the search and its total, both in the database. */
    public Uni<Page> search(Search search) {
        if (!search.knownSort()) {
            throw new IllegalArgumentException("unknown sort " + search.sort());
        }
        List<Object> args = new ArrayList<>();
        String where = where(search, args);
        String order =
                ORDERS.get(
                        search.sort() == null || search.sort().isEmpty()
                                ? DEFAULT_ORDER
                                : search.sort());
        String select =
                "select document, created_at, updated_at from policy"
                        + where
                        + " order by "
                        + order
                        + (search.limit() > 0 ? " limit " + search.limit() : "")
                        + " offset "
                        + Math.max(0, search.offset());
        Tuple tuple = Tuple.from(args);
        return pool.preparedQuery(select)
                .execute(tuple)
                .map(PolicyLists::rowsOf)
                .flatMap(
                        rows ->
                                pool.preparedQuery("select count(*) from policy" + where)
                                        .execute(tuple)
                                        .map(
                                                count ->
                                                        new Page(
                                                                rows,
                                                                count.iterator()
                                                                        .next()
                                                                        .getLong(0))));
    }

    private static String where(Search search, List<Object> args) {
        StringBuilder where = new StringBuilder(" where deleted_at is null");
        if (search.orgId() != null) {
            args.add(search.orgId());
            where.append(" and org_id = $").append(args.size());
        }
        if (!search.policyIds().isEmpty()) {
            args.add(search.policyIds().toArray(String[]::new));
            int n = args.size();
            where.append(" and (id = any($").append(n).append(") or db_id = any($");
            where.append(n).append("))");
        } else if (search.q() != null && !search.q().isEmpty()) {
            args.add(search.q());
            int exact = args.size();
            args.add("%" + literally(search.q()) + "%");
            where.append(" and (id = $").append(exact).append(" or db_id = $").append(exact);
            where.append(" or name ilike $").append(args.size()).append(")");
        }
        if (search.activeOnly()) {
            where.append(" and document::jsonb -> 'active' = 'true'::jsonb");
        }
        if (search.state() != null && !search.state().isEmpty()) {
            args.add(search.state());
            where.append(" and ").append(STATE).append(" = $").append(args.size());
        }
        if (!search.apiIds().isEmpty()) {
            args.add(search.apiIds().toArray(String[]::new));
            where.append(" and jsonb_typeof(document::jsonb -> 'access_rights') = 'object'");
            where.append(" and jsonb_exists_any(document::jsonb -> 'access_rights', $");
            where.append(args.size()).append(")");
        }
        return where.toString();
    }

    /** Text for {@code like}, its wildcards taken literally. */
    private static String literally(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static List<Listed> rowsOf(RowSet<Row> rows) {
        List<Listed> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(
                    new Listed(
                            row.getString(0), row.getOffsetDateTime(1), row.getOffsetDateTime(2)));
        }
        return out;
    }
}
