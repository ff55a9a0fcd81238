package gatehouse.admin.policies.persistence;

import gatehouse.admin.documents.DocumentLists;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * The Dashboard's lists of policies, read where they are stored: by {@code id}, or by the
 * Dashboard's database id (the policy's {@code _id}), and searched with the Dashboard's policy
 * filters ({@link #filter}).
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

    /** The orders a search may ask for: the lists' names and the Dashboard's policy names. */
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

    /** The states {@code state} may ask for. */
    public static final List<String> STATES = List.of("active", "draft", "deny");

    PolicyLists(Pool pool) {
        super(pool, "policy", "id");
    }

    @Override
    protected Map<String, String> orders() {
        return ORDERS;
    }

    /** True when a search knows the sort (or none is asked for). */
    public static boolean knownSort(String sort) {
        return sort == null || sort.isEmpty() || ORDERS.containsKey(sort);
    }

    /** {@code q} is a policy id (either), or else a substring of the name. */
    @Override
    protected String searched(String q, List<Object> args) {
        args.add(q);
        int exact = args.size();
        return "id = $" + exact + " or db_id = $" + exact + " or " + super.searched(q, args);
    }

    /**
     * The Dashboard's policy filters: {@code policy_ids} (CSV, either id), {@code state} (see
     * {@link #STATE}) and {@code api_id} (CSV; policies granting any of them in {@code
     * access_rights}).
     */
    @Override
    protected void filter(Map<String, String> filters, StringBuilder where, List<Object> args) {
        List<String> policyIds = csv(filters.get("policy_ids"));
        if (!policyIds.isEmpty()) {
            args.add(policyIds.toArray(String[]::new));
            int n = args.size();
            where.append(" and (id = any($").append(n).append(") or db_id = any($");
            where.append(n).append("))");
        }
        String state = filters.get("state");
        if (state != null && !state.isEmpty()) {
            if (!STATES.contains(state)) {
                throw new IllegalArgumentException("unknown state " + state);
            }
            args.add(state);
            where.append(" and ").append(STATE).append(" = $").append(args.size());
        }
        List<String> apiIds = csv(filters.get("api_id"));
        if (!apiIds.isEmpty()) {
            args.add(apiIds.toArray(String[]::new));
            where.append(" and jsonb_typeof(document::jsonb -> 'access_rights') = 'object'");
            where.append(" and jsonb_exists_any(document::jsonb -> 'access_rights', $");
            where.append(args.size()).append(")");
        }
    }

    /** The values of a CSV parameter, trimmed, blanks dropped. */
    public static List<String> csv(String values) {
        if (values == null || values.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(values.split(","))
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .toList();
    }
}
