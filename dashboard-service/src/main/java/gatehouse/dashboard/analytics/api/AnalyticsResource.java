package gatehouse.dashboard.analytics.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.access.api.Callers;
import gatehouse.dashboard.access.domain.Caller;
import gatehouse.dashboard.analytics.domain.DayRange;
import gatehouse.dashboard.analytics.domain.Grouping;
import gatehouse.dashboard.analytics.domain.ResultUnit;
import gatehouse.dashboard.analytics.persistence.AnalyticsQueries;
import gatehouse.dashboard.analytics.persistence.AnalyticsQueries.Subject;
import gatehouse.dashboard.common.api.DashboardException;
import gatehouse.dashboard.common.domain.Pagination;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Dashboard's analytics (DASHBOARD.md §8): the seed's key and OAuth client activity, Tyk 5.4's
 * per-API usage, and per-API, per-key and organisation time series for charts, all as Tyk's {@code
 * AggregateAnalyticsData}. Dates are Tyk's six path segments, whole UTC days, end day included.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class AnalyticsResource {

    static final String FAILED = "Failed to fetch analytics.";
    static final String NO_ACCESS = "User does not have access to the API with ID.";
    static final String KEY_UNDECODABLE = "Key could not be decoded.";
    static final String BAD_DATES = "Invalid dates: day/month/year segments expected.";
    static final String BAD_RESOLUTION = "Invalid res: hour or day expected.";
    static final String BAD_SORT =
            "Invalid by: hits, success, error, latency, request_time or upstream_latency expected.";

    /** A key hash as lists show it (murmur64 hex, sha256 hex) or a legacy key: no path noise. */
    private static final Pattern KEY_HASH = Pattern.compile("[A-Za-z0-9._~+=-]{1,512}");

    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final AnalyticsQueries queries;
    private final int pageSize;

    AnalyticsResource(
            AnalyticsQueries queries,
            @ConfigProperty(name = "gatehouse.dashboard.page-size") int pageSize) {
        this.queries = queries;
        this.pageSize = pageSize;
    }

    @GET
    @Path("activity/keys/{keyHash}/{sd}/{sm}/{sy}/{ed}/{em}/{ey}")
    public Uni<ObjectNode> keyActivity(
            @PathParam("keyHash") String keyHash,
            @BeanParam Days days,
            @QueryParam("p") String p,
            RoutingContext routing) {
        requireKeyHash(keyHash);
        return answer(routing, Subject.KEY, keyHash, Grouping.ENDPOINT, days.range(), p);
    }

    @GET
    @Path("activity/oauthid/{clientId}/{sd}/{sm}/{sy}/{ed}/{em}/{ey}")
    public Uni<ObjectNode> oauthActivity(
            @PathParam("clientId") String clientId,
            @BeanParam Days days,
            @QueryParam("p") String p,
            RoutingContext routing) {
        return answer(routing, Subject.OAUTH_CLIENT, clientId, Grouping.ENDPOINT, days.range(), p);
    }

    /** Tyk 5.4's {@code getAverageUsagePerAPI}: one unit per API, sorted by {@code by}. */
    @GET
    @Path("usage/apis/{sd}/{sm}/{sy}/{ed}/{em}/{ey}")
    public Uni<ObjectNode> usagePerApi(
            @BeanParam Days days,
            @QueryParam("by") String by,
            @QueryParam("sort") String sort,
            @QueryParam("p") String p,
            RoutingContext routing) {
        Comparator<ResultUnit> order = order(by, sort);
        return answer(routing, Subject.ALL, null, Grouping.API, days.range(), p, order);
    }

    /** One API's hits, successes, errors and latencies by hour or day. */
    @GET
    @Path("usage/apis/{apiId}/{sd}/{sm}/{sy}/{ed}/{em}/{ey}")
    public Uni<ObjectNode> apiSeries(
            @PathParam("apiId") String apiId,
            @BeanParam Days days,
            @QueryParam("res") String res,
            @QueryParam("p") String p,
            RoutingContext routing) {
        return answer(routing, Subject.API, apiId, resolution(res), days.range(), p);
    }

    /** One key's hits, successes, errors and latencies by hour or day, over every API. */
    @GET
    @Path("usage/keys/{keyHash}/{sd}/{sm}/{sy}/{ed}/{em}/{ey}")
    public Uni<ObjectNode> keySeries(
            @PathParam("keyHash") String keyHash,
            @BeanParam Days days,
            @QueryParam("res") String res,
            @QueryParam("p") String p,
            RoutingContext routing) {
        requireKeyHash(keyHash);
        return answer(routing, Subject.KEY, keyHash, resolution(res), days.range(), p);
    }

    /** The organisation's hits by hour or day, over every API ({@code api_id} narrows it). */
    @GET
    @Path("usage/{sd}/{sm}/{sy}/{ed}/{em}/{ey}")
    public Uni<ObjectNode> series(
            @BeanParam Days days,
            @QueryParam("res") String res,
            @QueryParam("api_id") String apiId,
            @QueryParam("p") String p,
            RoutingContext routing) {
        boolean oneApi = apiId != null && !apiId.isEmpty();
        return answer(
                routing,
                oneApi ? Subject.API : Subject.ALL,
                apiId,
                resolution(res),
                days.range(),
                p);
    }

    private Uni<ObjectNode> answer(
            RoutingContext routing,
            Subject subject,
            String subjectId,
            Grouping grouping,
            DayRange range,
            String p) {
        return answer(routing, subject, subjectId, grouping, range, p, null);
    }

    /** The units of one query, in {@code order} (null: as queried), paged as Tyk pages them. */
    private Uni<ObjectNode> answer(
            RoutingContext routing,
            Subject subject,
            String subjectId,
            Grouping grouping,
            DayRange range,
            String p,
            Comparator<ResultUnit> order) {
        Caller caller = Callers.of(routing);
        Pagination page = page(p);
        Uni<Void> allowed =
                subject == Subject.API && !caller.isSuperUser()
                        ? queries.otherOrganisationOnly(subjectId, caller.orgId())
                                .invoke(
                                        foreign -> {
                                            if (foreign) {
                                                throw new DashboardException(403, NO_ACCESS);
                                            }
                                        })
                                .replaceWithVoid()
                        : Uni.createFrom().voidItem();
        return allowed.chain(
                        () -> queries.units(caller.orgId(), subject, subjectId, grouping, range))
                .map(
                        units ->
                                envelope(
                                        order == null
                                                ? units
                                                : units.stream().sorted(order).toList(),
                                        page))
                .onFailure(e -> !(e instanceof DashboardException))
                .transform(AnalyticsResource::failed);
    }

    private static Throwable failed(Throwable cause) {
        return new DashboardException(500, FAILED);
    }

    private ObjectNode envelope(List<ResultUnit> units, Pagination page) {
        ObjectNode body = TykJson.MAPPER.createObjectNode();
        ArrayNode data = body.putArray("data");
        List<ResultUnit> shown =
                page.all()
                        ? units
                        : units.subList(
                                Math.min(page.offset(), units.size()),
                                Math.min(page.offset() + page.limit(), units.size()));
        for (ResultUnit unit : shown) {
            data.add(json(unit));
        }
        body.put("pages", page.pages(units.size()));
        return body;
    }

    /** Tyk's {@code ResultUnit}: means over hits in ms, the extremes as whole ms (int64). */
    static ObjectNode json(ResultUnit unit) {
        ObjectNode node = TykJson.MAPPER.createObjectNode();
        ObjectNode id = node.putObject("id");
        id.put("api_id", unit.apiId());
        id.put("api_name", unit.apiName() == null ? "" : unit.apiName());
        id.put("path", unit.path());
        id.put("code", unit.code());
        id.put("key", "");
        id.put("alias", "");
        id.put("iso_country", "");
        id.put("url", "");
        var at = unit.bucket() == null ? null : unit.bucket().atOffset(ZoneOffset.UTC);
        id.put("year", at == null ? 0 : at.getYear());
        id.put("month", at == null ? 0 : at.getMonthValue());
        id.put("day", at == null ? 0 : at.getDayOfMonth());
        id.put("hour", at == null ? 0 : at.getHour());
        node.put("hits", unit.hits());
        node.put("success", unit.success());
        node.put("error", unit.errors());
        node.put("last_hit", RFC3339.format(unit.lastHit().truncatedTo(ChronoUnit.SECONDS)));
        node.put("request_time", unit.mean(unit.requestTime()));
        node.put("latency", unit.mean(unit.latency()));
        node.put("upstream_latency", unit.mean(unit.upstreamLatency()));
        node.put("max_latency", Math.round(unit.maxLatency()));
        node.put("min_latency", Math.round(unit.minLatency()));
        node.put("max_upstream_latency", Math.round(unit.maxUpstreamLatency()));
        node.put("min_upstream_latency", Math.round(unit.minUpstreamLatency()));
        return node;
    }

    private Pagination page(String p) {
        if (p == null || p.isEmpty()) {
            return Pagination.of(null, pageSize);
        }
        try {
            return Pagination.of(Integer.parseInt(p.trim()), pageSize);
        } catch (NumberFormatException e) {
            throw new DashboardException(400, FAILED);
        }
    }

    /**
     * Tyk's six date segments of an analytics path: start day, month, year, then end day, month,
     * year.
     */
    public static final class Days {
        @PathParam("sd")
        String sd;

        @PathParam("sm")
        String sm;

        @PathParam("sy")
        String sy;

        @PathParam("ed")
        String ed;

        @PathParam("em")
        String em;

        @PathParam("ey")
        String ey;

        /** Whole UTC days, the end day included; a 400 when a segment is not a date. */
        DayRange range() {
            try {
                return DayRange.of(sd, sm, sy, ed, em, ey);
            } catch (IllegalArgumentException e) {
                throw new DashboardException(400, BAD_DATES);
            }
        }
    }

    private static Grouping resolution(String res) {
        if (res == null || res.isEmpty() || res.equalsIgnoreCase("day")) {
            return Grouping.DAY;
        }
        if (res.equalsIgnoreCase("hour")) {
            return Grouping.HOUR;
        }
        throw new DashboardException(400, BAD_RESOLUTION);
    }

    private static void requireKeyHash(String keyHash) {
        if (!KEY_HASH.matcher(keyHash).matches()) {
            throw new DashboardException(400, KEY_UNDECODABLE);
        }
    }

    /**
     * Tyk's {@code by} (a figure's name, any case) and {@code sort} (1 ascending, else descending).
     */
    static Comparator<ResultUnit> order(String by, String sort) {
        String figure = by == null || by.isEmpty() ? "hits" : by.toLowerCase(Locale.ROOT);
        ToDoubleFunction<ResultUnit> value =
                switch (figure) {
                    case "hits" -> ResultUnit::hits;
                    case "success" -> ResultUnit::success;
                    case "error", "errors" -> ResultUnit::errors;
                    case "latency" -> unit -> unit.mean(unit.latency());
                    case "request_time", "requesttime" -> unit -> unit.mean(unit.requestTime());
                    case "upstream_latency", "upstreamlatency" ->
                            unit -> unit.mean(unit.upstreamLatency());
                    default -> throw new DashboardException(400, BAD_SORT);
                };
        Comparator<ResultUnit> ascending =
                Comparator.comparingDouble(value).thenComparing(ResultUnit::apiId);
        return "1".equals(sort) ? ascending : ascending.reversed();
    }
}
