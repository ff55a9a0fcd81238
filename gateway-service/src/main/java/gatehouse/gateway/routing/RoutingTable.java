package gatehouse.gateway.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable snapshot of every route, swapped whole on change so a request sees the old table or the
 * new one, never a mix. Each API answers under its listen path and under {@code /{api_id}/}; the longest
 * prefix wins, as in Tyk (gorilla {@code PathPrefix}, APIs sorted by listen path length).
 */
public final class RoutingTable {

    /** A prefix and the route it leads to. */
    public record Match(String prefix, ApiRoute route) {
    }

    public static final RoutingTable EMPTY = new RoutingTable(List.of(), 0);

    private final Match[] prefixes;
    private final int apiCount;

    private RoutingTable(List<Match> prefixes, int apiCount) {
        this.prefixes = prefixes.toArray(new Match[0]);
        this.apiCount = apiCount;
    }

    /** Builds a table; ties in length are broken by prefix text so the order does not depend on arrival. */
    public static RoutingTable of(Collection<ApiRoute> routes) {
        List<Match> prefixes = new ArrayList<>(routes.size() * 2);
        for (ApiRoute route : routes) {
            prefixes.add(new Match(route.listenPath(), route));
            prefixes.add(new Match("/" + route.apiId() + "/", route));
        }
        prefixes.sort(Comparator.comparingInt((Match m) -> m.prefix().length()).reversed()
                .thenComparing(Match::prefix));
        return new RoutingTable(prefixes, routes.size());
    }

    /** The route for a request path, or null when no API listens there. */
    public Match match(String path) {
        for (Match candidate : prefixes) {
            if (path.startsWith(candidate.prefix())) {
                return candidate;
            }
        }
        return null;
    }

    public int apiCount() {
        return apiCount;
    }
}
