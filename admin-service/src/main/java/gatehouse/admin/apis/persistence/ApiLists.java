package gatehouse.admin.apis.persistence;

import gatehouse.admin.documents.DocumentLists;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Dashboard's lists of API definitions, read where they are stored: by {@code api_id}, or by
 * the Dashboard's database id (the definition's {@code id}). Besides the common filters, the
 * Dashboard's {@code api_type}, {@code auth_type} and {@code category} (CSV; any of them matches)
 * and {@code base_apis} (no child versions), all read from the stored definition.
 */
@Singleton
public class ApiLists extends DocumentLists {

    /** {@code api_type}: what makes a definition each type. */
    private static final Map<String, String> TYPES =
            Map.of(
                    "tcp",
                    "d ->> 'protocol' in ('tcp', 'tls')",
                    "graphql",
                    graphql("proxyOnly"),
                    "udg",
                    graphql("executionEngine"),
                    "subgraph",
                    graphql("subgraph"),
                    "supergraph",
                    graphql("supergraph"),
                    "internal",
                    "d -> 'internal' = 'true'::jsonb",
                    "rest",
                    "coalesce(d ->> 'protocol', '') not in ('tcp', 'tls')"
                            + " and coalesce(d #> '{graphql,enabled}', 'false'::jsonb)"
                            + " <> 'true'::jsonb");

    /** {@code auth_type}: the Dashboard's names of the authentication modes. */
    private static final Map<String, String> AUTH_FLAGS =
            Map.of(
                    "keyless", "use_keyless",
                    "basic", "use_basic_auth",
                    "oauth", "use_oauth2",
                    "jwt", "enable_jwt",
                    "hmac", "enable_signature_checking",
                    "oidc", "use_openid",
                    "mtls", "use_mutual_tls_auth",
                    "plugin", "enable_coprocess_auth");

    private final Pool pool;

    ApiLists(Pool pool) {
        super(pool, "api_definition", "api_id");
        this.pool = pool;
    }

    private static String graphql(String mode) {
        return "d #> '{graphql,enabled}' = 'true'::jsonb"
                + " and coalesce(d #>> '{graphql,execution_mode}', 'proxyOnly') = '"
                + mode
                + "'";
    }

    private static String flag(String field) {
        return "coalesce(d -> '" + field + "', 'false'::jsonb) = 'true'::jsonb";
    }

    /** The auth token mode: sent as such, or what a definition with no other mode means. */
    private static String authToken() {
        List<String> others = new ArrayList<>();
        AUTH_FLAGS.values().forEach(field -> others.add(flag(field)));
        return flag("use_standard_auth") + " or not (" + String.join(" or ", others) + ")";
    }

    @Override
    protected void filter(Map<String, String> filters, StringBuilder where, List<Object> args) {
        List<String> conditions = new ArrayList<>();
        String types = filters.get("api_type");
        if (types != null && !types.isEmpty()) {
            String condition = TYPES.get(types.trim().toLowerCase(java.util.Locale.ROOT));
            if (condition == null) {
                throw new IllegalArgumentException("unknown api_type " + types);
            }
            conditions.add(condition);
        }
        String auth = filters.get("auth_type");
        if (auth != null && !auth.isEmpty()) {
            List<String> any = new ArrayList<>();
            for (String name : auth.split(",")) {
                String mode = name.trim();
                if (mode.isEmpty()) {
                    continue;
                }
                if (mode.equals("authToken")) {
                    any.add(authToken());
                } else if (mode.equals("multiAuth")) {
                    any.add("coalesce(d ->> 'base_identity_provided_by', '') <> ''");
                } else if (AUTH_FLAGS.containsKey(mode)) {
                    any.add(flag(AUTH_FLAGS.get(mode)));
                } else {
                    throw new IllegalArgumentException("unknown auth_type " + mode);
                }
            }
            if (!any.isEmpty()) {
                conditions.add("(" + String.join(") or (", any) + ")");
            }
        }
        String categories = filters.get("category");
        if (categories != null && !categories.isEmpty()) {
            // a classic API's categories are the #tags of its name
            List<String> any = new ArrayList<>();
            for (String name : categories.split(",")) {
                String tag = name.trim().replaceFirst("^#", "");
                if (!tag.isEmpty()) {
                    args.add("% #" + likeEscaped(tag) + " %");
                    any.add("(' ' || coalesce(name, '') || ' ') ilike $" + args.size());
                }
            }
            if (!any.isEmpty()) {
                conditions.add(String.join(" or ", any));
            }
        }
        String base = "";
        if (filters.containsKey("base_apis")) {
            // a child version is named in a live API's definition.versions; one hashed subplan
            base =
                    " and api_definition.api_id not in (select child.value from api_definition"
                            + " parent, jsonb_each_text(case when jsonb_typeof(parent.document::jsonb"
                            + " #> '{definition,versions}') = 'object' then parent.document::jsonb"
                            + " #> '{definition,versions}' else '{}'::jsonb end) child"
                            + " where parent.deleted_at is null and child.value is not null"
                            + " and child.value <> parent.api_id)";
        }
        if (!conditions.isEmpty()) {
            where.append(" and exists (select 1 from (select api_definition.document::jsonb d) x")
                    .append(" where (")
                    .append(String.join(") and (", conditions))
                    .append("))");
        }
        where.append(base);
    }

    /**
     * The organisation's (null: every) live APIs whose name has a {@code #tag}: their ids and
     * names, by name (what the Dashboard's categories and groups are made of).
     */
    public Uni<List<Map.Entry<String, String>>> tagged(String orgId) {
        String sql =
                "select api_id, name from api_definition where deleted_at is null"
                        + " and name like '%#%'"
                        + (orgId == null ? "" : " and org_id = $1")
                        + " order by lower(name), api_id";
        return pool.preparedQuery(sql)
                .execute(orgId == null ? Tuple.tuple() : Tuple.of(orgId))
                .map(
                        rows -> {
                            List<Map.Entry<String, String>> out = new ArrayList<>();
                            rows.forEach(
                                    row -> out.add(Map.entry(row.getString(0), row.getString(1))));
                            return out;
                        });
    }
}
