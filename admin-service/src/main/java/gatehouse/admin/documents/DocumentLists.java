package gatehouse.admin.documents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Dashboard's lists of one kind of stored document, paged, searched and sorted in the database
 * (issue 11): one organisation's live documents through the partial indexes of {@code
 * V3__dashboard_lists}, so the first page of 10,000 is one index range scan.
 */
public class DocumentLists {

    /** The orders a list may ask for, Tyk's names; the default is the newest first. */
    private static final Map<String, String> ORDERS =
            Map.of(
                    "name", "lower(name) asc, %1$s asc",
                    "-name", "lower(name) desc, %1$s desc",
                    "created_at", "created_at asc, %1$s asc",
                    "-created_at", "created_at desc, %1$s desc",
                    "updated_at", "updated_at asc, %1$s asc",
                    "-updated_at", "updated_at desc, %1$s desc");

    private static final String DEFAULT_ORDER = "-created_at";

    /**
     * What to list.
     *
     * @param orgId the organisation; null for every organisation (a Dashboard super user)
     * @param q a substring of the name, case-insensitive; null or empty for all
     * @param sort one of Tyk's orders ({@code name}, {@code -created_at}, ...); null for the
     *     default
     * @param offset the first row
     * @param limit how many rows; 0 for all
     * @param activeOnly only documents whose {@code active} is true
     * @param filters the kind's own filters by name (see {@link #filter}); empty for none
     */
    public record Query(
            String orgId,
            String q,
            String sort,
            int offset,
            int limit,
            boolean activeOnly,
            Map<String, String> filters) {

        public Query {
            filters = filters == null ? Map.of() : Map.copyOf(filters);
        }

        /** A query without the kind's own filters. */
        public Query(
                String orgId, String q, String sort, int offset, int limit, boolean activeOnly) {
            this(orgId, q, sort, offset, limit, activeOnly, Map.of());
        }

        /** This query with the kind's own filters. */
        public Query withFilters(Map<String, String> kindFilters) {
            return new Query(orgId, q, sort, offset, limit, activeOnly, kindFilters);
        }

        /** True when the sort is one of Tyk's (or none). */
        public boolean knownSort() {
            return sort == null || sort.isEmpty() || ORDERS.containsKey(sort);
        }
    }

    /**
     * A stored document with its times.
     *
     * @param document the document as stored
     * @param createdAt when it was first written
     * @param updatedAt when it was last written
     */
    public record Listed(String document, OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

    /**
     * One page and the size of the whole list.
     *
     * @param rows the page
     * @param total every row of the list
     */
    public record Page(List<Listed> rows, long total) {}

    private final Pool pool;
    private final String table;
    private final String idColumn;

    /**
     * @param table the table, with {@code name} and {@code db_id} columns (V3)
     * @param idColumn its primary key
     */
    public DocumentLists(Pool pool, String table, String idColumn) {
        this.pool = pool;
        this.table = table;
        this.idColumn = idColumn;
    }

    /** A page of the list and its total. */
    public Uni<Page> list(Query query) {
        String sort = query.sort() == null || query.sort().isEmpty() ? DEFAULT_ORDER : query.sort();
        String chosen = orders().get(sort);
        if (chosen == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("unknown sort " + sort));
        }
        List<Object> args = new ArrayList<>();
        String where;
        try {
            where = where(query, args);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(e);
        }
        String order = chosen.formatted(idColumn);
        String select =
                "select document, created_at, updated_at from "
                        + table
                        + where
                        + " order by "
                        + order
                        + (query.limit() > 0 ? " limit " + query.limit() : "")
                        + " offset "
                        + Math.max(0, query.offset());
        Tuple tuple = Tuple.from(args);
        return pool.preparedQuery(select)
                .execute(tuple)
                .map(rows -> rowsOf(rows))
                .flatMap(
                        page ->
                                pool.preparedQuery("select count(*) from " + table + where)
                                        .execute(tuple)
                                        .map(
                                                count ->
                                                        new Page(
                                                                page,
                                                                count.iterator()
                                                                        .next()
                                                                        .getLong(0))));
    }

    /**
     * A live document by its id or its Dashboard database id ({@code db_id}), within the
     * organisation (null: any); null when there is none.
     */
    public Uni<Listed> lookup(String orgId, String id) {
        List<Object> args = new ArrayList<>(List.of(id));
        String sql =
                "select document, created_at, updated_at from "
                        + table
                        + " where deleted_at is null and ("
                        + idColumn
                        + " = $1 or db_id = $1)"
                        + (orgId == null ? "" : " and org_id = $2")
                        + " order by ("
                        + idColumn
                        + " = $1) desc limit 1";
        if (orgId != null) {
            args.add(orgId);
        }
        return pool.preparedQuery(sql)
                .execute(Tuple.from(args))
                .map(rows -> rowsOf(rows).stream().findFirst().orElse(null));
    }

    /** A live document of the organisation with exactly this name, or null. */
    public Uni<Listed> named(String orgId, String name) {
        return pool.preparedQuery(
                        "select document, created_at, updated_at from "
                                + table
                                + " where deleted_at is null and org_id is not distinct from $1"
                                + " and lower(name) = lower($2) limit 1")
                .execute(Tuple.of(orgId, name))
                .map(rows -> rowsOf(rows).stream().findFirst().orElse(null));
    }

    /** A page as the internal list endpoints answer it: {@code {"items":[...],"total":N}}. */
    public static ObjectNode json(Page page) {
        ObjectNode out = TykJson.MAPPER.createObjectNode();
        ArrayNode items = out.putArray("items");
        page.rows().forEach(row -> items.add(json(row)));
        out.put("total", page.total());
        return out;
    }

    /** A document as the internal endpoints answer it, with its times. */
    public static ObjectNode json(Listed row) {
        ObjectNode out = TykJson.MAPPER.createObjectNode();
        out.set("document", TykJson.readObject(row.document()));
        out.put("created_at", row.createdAt().toInstant().toString());
        out.put("updated_at", row.updatedAt().toInstant().toString());
        return out;
    }

    /**
     * The orders a list of this kind may ask for, Tyk's names to SQL ({@code %1$s} is the id
     * column); the common ones by default. Must hold {@code -created_at}, the default.
     */
    protected Map<String, String> orders() {
        return ORDERS;
    }

    /**
     * The condition {@code q} adds, its parameters appended to {@code args}: a substring of the
     * name, case-insensitive, by default.
     */
    protected String searched(String q, List<Object> args) {
        args.add("%" + likeEscaped(q) + "%");
        return "name ilike $" + args.size();
    }

    /**
     * Adds the kind's own filters to the where clause ({@code " and ..."}, parameters appended to
     * {@code args} as {@code $n}); none by default.
     *
     * @throws IllegalArgumentException for a filter value the kind does not know
     */
    protected void filter(Map<String, String> filters, StringBuilder where, List<Object> args) {}

    private String where(Query query, List<Object> args) {
        StringBuilder where = new StringBuilder(" where deleted_at is null");
        if (query.orgId() != null) {
            args.add(query.orgId());
            where.append(" and org_id = $").append(args.size());
        }
        if (query.q() != null && !query.q().isEmpty()) {
            where.append(" and (").append(searched(query.q(), args)).append(')');
        }
        if (query.activeOnly()) {
            where.append(" and document::jsonb -> 'active' = 'true'::jsonb");
        }
        filter(query.filters(), where, args);
        return where.toString();
    }

    /** Text for {@code like}, its wildcards taken literally. */
    protected static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static List<Listed> rowsOf(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Listed> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(
                    new Listed(
                            row.getString(0), row.getOffsetDateTime(1), row.getOffsetDateTime(2)));
        }
        return out;
    }
}
