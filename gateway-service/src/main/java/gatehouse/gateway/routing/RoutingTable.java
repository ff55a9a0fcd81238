package gatehouse.gateway.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable snapshot of every route, swapped whole on change so a request sees the old table or the
 * new one, never a mix. Each API answers under its listen path and under {@code /{api_id}/}; the longest
 * prefix wins, as in Tyk (gorilla {@code PathPrefix}, APIs sorted by listen path length), and with custom
 * domains on, APIs bound to a host come before the others.
 */
public final class RoutingTable {

    /**
     * How listen paths match (Tyk's {@code http_server_options}).
     *
     * @param strictRoutes  {@code enable_strict_routes}: {@code /sample} matches {@code /sample} and
     *                      {@code /sample/...} but not {@code /samplefoo}
     * @param customDomains {@code enable_custom_domains}: an API's {@code domain} restricts it to that host
     * @param pathMatching  how white, black and ignored path patterns match
     */
    public record Options(boolean strictRoutes, boolean customDomains, Versioning.Matching pathMatching) {
        public static final Options TYK_DEFAULTS = new Options(false, false, Versioning.Matching.TYK_DEFAULTS);

        public Options(boolean strictRoutes, boolean customDomains) {
            this(strictRoutes, customDomains, Versioning.Matching.TYK_DEFAULTS);
        }
    }

    /** A prefix and the route it leads to. */
    public record Match(String prefix, ApiRoute route) {
    }

    private record Entry(String prefix, String domain, boolean strict, ApiRoute route) {
        boolean matches(String host, String path) {
            if (domain != null && !domain.equals(host)) {
                return false;
            }
            if (!path.startsWith(prefix)) {
                return false;
            }
            return !strict || path.length() == prefix.length() || path.charAt(prefix.length()) == '/';
        }
    }

    public static final RoutingTable EMPTY = new RoutingTable(List.of(), java.util.Map.of(), Options.TYK_DEFAULTS);

    private final Entry[] entries;
    private final java.util.Map<String, ApiRoute> byId;
    private final Options options;

    private RoutingTable(List<Entry> entries, java.util.Map<String, ApiRoute> byId, Options options) {
        this.entries = entries.toArray(new Entry[0]);
        this.byId = byId;
        this.options = options;
    }

    /** Builds a table with Tyk's default matching. */
    public static RoutingTable of(Collection<ApiRoute> routes) {
        return of(routes, Options.TYK_DEFAULTS);
    }

    /**
     * Builds a table; ties are broken by prefix text so the order does not depend on arrival. When two
     * APIs claim the same listen path (and domain), the one with the smaller api_id keeps it and the other
     * answers under {@code <listen_path>-<api_id>}, as Tyk re-paths duplicates; choosing by id rather than
     * by arrival keeps every node and every reload in agreement.
     */
    public static RoutingTable of(Collection<ApiRoute> routes, Options options) {
        List<Entry> entries = new ArrayList<>(routes.size() * 2);
        java.util.Set<String> claimed = new java.util.HashSet<>();
        List<ApiRoute> sortedById = new ArrayList<>(routes);
        sortedById.sort(Comparator.comparing(ApiRoute::apiId));
        for (ApiRoute route : sortedById) {
            String domain = options.customDomains() ? route.domain() : null;
            String listenPath = route.listenPath();
            if (!claimed.add(domain + " " + listenPath)) {
                listenPath = listenPath + "-" + route.apiId();
                while (!claimed.add(domain + " " + listenPath)) {
                    listenPath = listenPath + "_";
                }
            }
            // strict matching applies to plain listen paths without a trailing slash
            boolean strict = options.strictRoutes() && !listenPath.endsWith("/") && !listenPath.contains("{");
            entries.add(new Entry(listenPath, domain, strict, route));
            entries.add(new Entry("/" + route.apiId() + "/", domain, false, route));
        }
        entries.sort(Comparator.comparing((Entry e) -> e.domain() == null)
                .thenComparing(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed())
                .thenComparing(Entry::prefix));
        java.util.Map<String, ApiRoute> byId = new java.util.HashMap<>();
        routes.forEach(route -> byId.put(route.apiId(), route));
        return new RoutingTable(entries, java.util.Map.copyOf(byId), options);
    }

    /** The route for a request, or null when no API listens there. */
    public Match match(String host, String path) {
        String bareHost = options.customDomains() && host != null ? ApiRoute.hostOnly(host) : null;
        for (Entry entry : entries) {
            if (entry.matches(bareHost, path)) {
                return new Match(entry.prefix(), entry.route());
            }
        }
        return null;
    }

    /** The route for a path, any host. */
    public Match match(String path) {
        return match(null, path);
    }

    public int apiCount() {
        return byId.size();
    }

    /** The route of an API by id, or null. */
    public ApiRoute api(String apiId) {
        return byId.get(apiId);
    }

    public Options options() {
        return options;
    }
}
