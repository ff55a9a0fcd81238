package gatehouse.keys.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The Dashboard's lists of keys (issue 11), paged and searched in this database in key-hash order:
 * one organisation's live keys through {@code V2__key_lists}'s partial index.
 */
@ApplicationScoped
public class KeyLists {

    /**
     * What to list.
     *
     * @param orgId the organisation; null for every one (a Dashboard super user)
     * @param apiId only keys with access to this API (access_rights names it, or names none); null
     *     for all
     * @param q a substring of the key hash; null or empty for all
     * @param offset the first row
     * @param limit how many rows; 0 for all
     * @param sessions whether the rows carry the session and quota counters
     */
    public record Query(
            String orgId, String apiId, String q, int offset, int limit, boolean sessions) {}

    /**
     * A listed key.
     *
     * @param keyHash Tyk's key hash, the id a listing shows
     * @param session the stored session, or null when not asked for
     * @param quotas the quota counters as stored, or null when not asked for
     */
    public record Listed(String keyHash, String session, String quotas) {}

    /**
     * One page and the size of the whole list.
     *
     * @param rows the page
     * @param total every row of the list
     */
    public record Page(List<Listed> rows, long total) {}

    private final Pool pool;

    KeyLists(Pool pool) {
        this.pool = pool;
    }

    /** A page of the list and its total. */
    public Uni<Page> list(Query query) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" where deleted_at is null");
        if (query.orgId() != null) {
            args.add(query.orgId());
            where.append(" and org_id = $").append(args.size());
        }
        if (query.apiId() != null && !query.apiId().isEmpty()) {
            args.add(query.apiId());
            // the same expression as V2's index; a key naming no API is for every API of its org
            where.append(" and (gatehouse_key_api_ids(session) @> array[$")
                    .append(args.size())
                    .append("]::text[] or gatehouse_key_api_ids(session) = '{}'::text[])");
        }
        if (query.q() != null && !query.q().isEmpty()) {
            args.add("%" + likeEscaped(query.q()) + "%");
            where.append(" and key_hash like $").append(args.size());
        }
        String select =
                "select key_hash"
                        + (query.sessions() ? ", session, quotas" : "")
                        + " from api_key"
                        + where
                        + " order by key_hash, key_id"
                        + (query.limit() > 0 ? " limit " + query.limit() : "")
                        + " offset "
                        + Math.max(0, query.offset());
        Tuple tuple = Tuple.from(args);
        return pool.preparedQuery(select)
                .execute(tuple)
                .map(rows -> rowsOf(rows, query.sessions()))
                .flatMap(
                        page ->
                                pool.preparedQuery("select count(*) from api_key" + where)
                                        .execute(tuple)
                                        .map(
                                                count ->
                                                        new Page(
                                                                page,
                                                                count.iterator()
                                                                        .next()
                                                                        .getLong(0))));
    }

    private static List<Listed> rowsOf(RowSet<Row> rows, boolean sessions) {
        List<Listed> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(
                    new Listed(
                            row.getString("key_hash"),
                            sessions ? row.getString("session") : null,
                            sessions ? row.getString("quotas") : null));
        }
        return out;
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
