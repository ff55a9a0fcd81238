package gatehouse.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gatehouse.contracts.tyk.ApiDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

    private static ApiRoute route(String id, String listenPath, String target, boolean strip) {
        return ApiRoute.of(
                ApiDefinition.routing(
                        id, true, null, new ApiDefinition.Proxy(listenPath, target, strip)),
                1);
    }

    private static String path(ApiRoute route, String prefix, String requestPath) {
        return route.upstreamPath(route.upstream(), prefix, requestPath);
    }

    @Test
    void theLongestListenPathWins() {
        var table =
                RoutingTable.of(
                        List.of(
                                route("short", "/a", "http://u/", false),
                                route("long", "/a/b/", "http://u/", false),
                                route("root", "/", "http://u/", false)));
        assertEquals("long", table.match("/a/b/c").route().apiId());
        assertEquals("short", table.match("/a/x").route().apiId());
        assertEquals(
                "short",
                table.match("/abc").route().apiId(),
                "gorilla PathPrefix: /a also matches /abc");
        assertEquals("root", table.match("/zzz").route().apiId());
    }

    @Test
    void everyApiIsAlsoReachableUnderItsId() {
        var table = RoutingTable.of(List.of(route("api1", "/one/", "http://u/", true)));
        var match = table.match("/api1/x");
        assertEquals("api1", match.route().apiId());
        assertEquals("/x", path(match.route(), match.prefix(), "/api1/x"));
        assertNull(table.match("/two/x"));
    }

    @Test
    void listenPathStrippingAndTargetJoiningFollowTyk() {
        assertEquals("/anything", path(route("a", "/p/", "http://u/", true), "/p/", "/p/anything"));
        assertEquals(
                "/p/anything", path(route("a", "/p/", "http://u/", false), "/p/", "/p/anything"));
        assertEquals("/base/x", path(route("a", "/p", "http://u/base", true), "/p", "/p/x"));
        assertEquals("/base/x", path(route("a", "/p/", "http://u/base", true), "/p/", "/p/x"));
        assertEquals("/base/", path(route("a", "/p/", "http://u/base/", true), "/p/", "/p/"));
        assertEquals("/base", path(route("a", "/p/", "http://u/base", true), "/p/", "/p/"));
    }

    @Test
    void tenThousandApisRouteByLongestPrefix() {
        var routes = new java.util.ArrayList<ApiRoute>();
        for (int i = 0; i < 10_000; i++) {
            routes.add(route("api-" + i, "/svc-" + i + "/", "http://u/", true));
        }
        routes.add(route("nested", "/svc-42/deeper/", "http://u/", true));
        routes.add(route("short", "/svc", "http://u/", true));
        var table = RoutingTable.of(routes);
        assertEquals(10_002, table.apiCount());
        assertEquals("api-9999", table.match("/svc-9999/x").route().apiId());
        assertEquals("nested", table.match("/svc-42/deeper/x").route().apiId());
        assertEquals("api-42", table.match("/svc-42/other").route().apiId());
        assertEquals(
                "short",
                table.match("/svc-unknown").route().apiId(),
                "a shorter prefix still matches");
        assertEquals("api-7", table.match("/api-7/via-id").route().apiId());
        assertNull(table.match("/elsewhere"));
    }

    @Test
    void aDuplicateListenPathIsRepathedForTheLaterIdAsTykDoes() {
        var table =
                RoutingTable.of(
                        List.of(
                                route("b-api", "/dup/", "http://u/", false),
                                route("a-api", "/dup/", "http://u/", false)));
        assertEquals("a-api", table.match("/dup/x").route().apiId());
        assertEquals("b-api", table.match("/dup/-b-api/x").route().apiId());
    }

    @Test
    void strictRoutesStopAPrefixFromMatchingALongerSegment() {
        var strict =
                RoutingTable.of(
                        List.of(route("s", "/sample", "http://u/", false)),
                        new RoutingTable.Options(true, false));
        assertEquals("s", strict.match("/sample").route().apiId());
        assertEquals("s", strict.match("/sample/x").route().apiId());
        assertNull(strict.match("/samplefoo"));
    }

    @Test
    void customDomainsBindAnApiToItsHostAndComeFirst() {
        var withDomain =
                ApiRoute.of(
                        ApiDefinition.routing(
                                "d",
                                true,
                                "Host1:8080",
                                new ApiDefinition.Proxy("/with_domain", "http://u/", false)),
                        1);
        var anyHost = route("any", "/", "http://u/", false);
        var table =
                RoutingTable.of(
                        List.of(withDomain, anyHost), new RoutingTable.Options(false, true));
        assertEquals("d", table.match("host1:9000", "/with_domain").route().apiId());
        assertEquals("any", table.match("other", "/with_domain").route().apiId());
        var ignored = RoutingTable.of(List.of(withDomain), RoutingTable.Options.TYK_DEFAULTS);
        assertEquals(
                "d",
                ignored.match("other", "/with_domain").route().apiId(),
                "domain ignored without custom domains");
    }

    @Test
    void loadBalancingGoesRoundRobinOverTheTargetList() {
        var route =
                ApiRoute.of(
                        ApiDefinition.routing(
                                "lb",
                                true,
                                null,
                                new ApiDefinition.Proxy(
                                        "/lb/",
                                        "http://unused/",
                                        true,
                                        true,
                                        List.of("http://a:1/", "http://b:2/", "http://c:3/"))),
                        1);
        assertEquals(
                List.of("a", "b", "c", "a"),
                java.util.stream.Stream.generate(route::upstream)
                        .limit(4)
                        .map(Upstream::host)
                        .toList());
    }

    @Test
    void ipListsAdmitAndRefuseByRange() {
        var definition =
                new ApiDefinition(
                        "ip",
                        "ip",
                        null,
                        true,
                        null,
                        new ApiDefinition.Proxy("/ip/", "http://u/", false),
                        true,
                        List.of("10.0.0.0/8", "192.168.1.7"),
                        true,
                        List.of("10.9.0.0/16"),
                        null,
                        null,
                        null,
                        null,
                        false,
                        false,
                        false,
                        false,
                        null,
                        null,
                        false,
                        List.of(),
                        false,
                        null,
                        null,
                        null,
                        null,
                        List.of(),
                        0,
                        0,
                        0,
                        false,
                        Map.of(),
                        null,
                        false,
                        List.of(),
                        false,
                        List.of(),
                        0);
        var route = ApiRoute.of(definition, 1);
        assertEquals(true, route.admits(gatehouse.contracts.net.IpRange.literal("10.1.2.3")));
        assertEquals(true, route.admits(gatehouse.contracts.net.IpRange.literal("192.168.1.7")));
        assertEquals(false, route.admits(gatehouse.contracts.net.IpRange.literal("192.168.1.8")));
        assertEquals(
                false,
                route.admits(gatehouse.contracts.net.IpRange.literal("10.9.0.1")),
                "blocked inside allowed");
        assertThrows(
                IllegalArgumentException.class,
                () -> gatehouse.contracts.net.IpRange.parse("10.0.0.0/33"));
        assertThrows(
                IllegalArgumentException.class,
                () -> gatehouse.contracts.net.IpRange.parse("example.com"));
    }

    @Test
    void theApiRateLimitAllowsRatePerWindowSharedAcrossNodes() {
        var limit = new ApiRateLimit(10, 1);
        long now = 0;
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            if (limit.tryAcquire(2, now)) {
                allowed++;
            }
        }
        assertEquals(5, allowed, "half of 10/s on each of two nodes");
        assertEquals(true, limit.tryAcquire(2, now + 200_000_000L), "refilled after 200 ms");
    }

    @Test
    void listenPathsAreNormalisedAsTykDoes() {
        assertEquals("/p/", ApiRoute.normalise("p/"));
        assertEquals("/b/", ApiRoute.normalise("/a/../b/"));
        assertEquals("/", ApiRoute.normalise("/"));
        assertThrows(IllegalArgumentException.class, () -> ApiRoute.normalise(""));
        assertThrows(IllegalArgumentException.class, () -> ApiRoute.normalise("/with space"));
    }

    @Test
    void upstreamsParseWithSchemeDefaults() {
        assertEquals(new Upstream("h", 80, false, "/"), Upstream.of("http://h"));
        assertEquals(new Upstream("h", 443, true, "/x"), Upstream.of("https://h/x"));
        assertThrows(IllegalArgumentException.class, () -> Upstream.of("ftp://h/"));
    }
}
