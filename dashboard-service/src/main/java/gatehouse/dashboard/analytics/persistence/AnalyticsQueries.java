package gatehouse.dashboard.analytics.persistence;

import gatehouse.dashboard.analytics.domain.DayRange;
import gatehouse.dashboard.analytics.domain.Grouping;
import gatehouse.dashboard.analytics.domain.ResultUnit;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the aggregates for the Dashboard's analytics endpoints: groups summed over a range of one
 * organisation's rows (every organisation's for a super user).
 */
@ApplicationScoped
public class AnalyticsQueries {

    /** Which rows a query sums: one API, key or OAuth client, or all. */
    public enum Subject {
        ALL(null),
        API("api_id"),
        KEY("key_hash"),
        OAUTH_CLIENT("oauth_id");

        private final String column;

        Subject(String column) {
            this.column = column;
        }
    }

    private final Pool client;

    AnalyticsQueries(Pool client) {
        this.client = client;
    }

    /**
     * The groups of a range, largest hit count first.
     *
     * @param orgId the caller's organisation; null for every organisation
     * @param subject which rows
     * @param subjectId the API id, key hash or OAuth client id ({@code subject} other than ALL)
     * @param grouping how the units group; HOUR reads the hourly rows, the others the daily ones
     */
    public Uni<List<ResultUnit>> units(
            String orgId, Subject subject, String subjectId, Grouping grouping, DayRange range) {
        String table = grouping == Grouping.HOUR ? "analytics_hourly" : "analytics_daily";
        String groupBy =
                switch (grouping) {
                    case API -> "api_id";
                    case ENDPOINT -> "api_id, path";
                    case HOUR, DAY -> "bucket";
                };
        StringBuilder sql =
                new StringBuilder("SELECT ")
                        .append(
                                grouping == Grouping.API || grouping == Grouping.ENDPOINT
                                        ? "api_id, "
                                        : "'' AS api_id, ")
                        .append(grouping == Grouping.ENDPOINT ? "path, " : "'' AS path, ")
                        .append(
                                grouping == Grouping.HOUR || grouping == Grouping.DAY
                                        ? "bucket, "
                                        : "NULL::timestamptz AS bucket, ")
                        .append(
                                """
                                (array_agg(api_name ORDER BY last_hit DESC))[1] AS api_name,
                                (array_agg(last_code ORDER BY last_hit DESC))[1] AS last_code,
                                sum(hits)::bigint AS hits, sum(success)::bigint AS success, sum(errors)::bigint AS errors,
                                sum(request_time) AS request_time, sum(latency) AS latency,
                                sum(upstream_latency) AS upstream_latency,
                                max(max_latency) AS max_latency, max(max_upstream_latency) AS max_upstream_latency,
                                coalesce(min(min_latency) FILTER (WHERE code BETWEEN 200 AND 299), min(min_latency)) AS min_latency,
                                coalesce(min(min_upstream_latency) FILTER (WHERE code BETWEEN 200 AND 299),
                                    min(min_upstream_latency)) AS min_upstream_latency,
                                max(last_hit) AS last_hit
                                FROM\s""")
                        .append(table)
                        .append(
                                " WHERE ($1::text IS NULL OR org_id = $1) AND bucket >= $2 AND bucket < $3");
        Tuple params =
                Tuple.tuple()
                        .addString(orgId)
                        .addOffsetDateTime(OffsetDateTime.ofInstant(range.from(), ZoneOffset.UTC))
                        .addOffsetDateTime(OffsetDateTime.ofInstant(range.until(), ZoneOffset.UTC));
        if (subject != Subject.ALL) {
            sql.append(" AND ").append(subject.column).append(" = $4");
            params.addString(subjectId);
        }
        if (grouping == Grouping.ENDPOINT) {
            sql.append(" AND path <> ''");
        }
        sql.append(" GROUP BY ").append(groupBy);
        sql.append(
                grouping == Grouping.HOUR || grouping == Grouping.DAY
                        ? " ORDER BY bucket"
                        : " ORDER BY hits DESC, " + groupBy);
        return client.preparedQuery(sql.toString())
                .execute(params)
                .map(
                        rows -> {
                            List<ResultUnit> units = new ArrayList<>();
                            for (Row row : rows) {
                                units.add(unit(row, grouping));
                            }
                            return units;
                        });
    }

    /**
     * True when an API's analytics are only another organisation's: the caller may not see them (an
     * API nobody has called yet is nobody's).
     */
    public Uni<Boolean> otherOrganisationOnly(String apiId, String orgId) {
        return client.preparedQuery(
                        "SELECT coalesce(bool_or(org_id = $2), false) AS own,"
                                + " coalesce(bool_or(org_id <> $2), false) AS foreign_rows"
                                + " FROM analytics_daily WHERE api_id = $1")
                .execute(Tuple.of(apiId, orgId))
                .map(
                        rows -> {
                            Row row = rows.iterator().next();
                            return row.getBoolean("foreign_rows") && !row.getBoolean("own");
                        });
    }

    private static ResultUnit unit(Row row, Grouping grouping) {
        OffsetDateTime bucket = row.getOffsetDateTime("bucket");
        OffsetDateTime lastHit = row.getOffsetDateTime("last_hit");
        return new ResultUnit(
                row.getString("api_id"),
                grouping == Grouping.API || grouping == Grouping.ENDPOINT
                        ? row.getString("api_name")
                        : "",
                row.getString("path"),
                grouping == Grouping.ENDPOINT ? row.getInteger("last_code") : 0,
                bucket == null ? null : bucket.toInstant(),
                row.getLong("hits"),
                row.getLong("success"),
                row.getLong("errors"),
                row.getDouble("request_time"),
                row.getDouble("latency"),
                row.getDouble("upstream_latency"),
                row.getDouble("max_latency"),
                row.getDouble("min_latency"),
                row.getDouble("max_upstream_latency"),
                row.getDouble("min_upstream_latency"),
                lastHit == null ? Instant.EPOCH : lastHit.toInstant());
    }
}
