package gatehouse.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import gatehouse.contracts.tyk.ApiDefinition;

class RoutingTableTest {

    private static ApiRoute route(String id, String listenPath, String target, boolean strip) {
        return ApiRoute.of(new ApiDefinition(id, id, "org", true,
                new ApiDefinition.Proxy(listenPath, target, strip)), 1);
    }

    @Test
    void theLongestListenPathWins() {
        var table = RoutingTable.of(List.of(route("short", "/a", "http://u/", false),
                route("long", "/a/b/", "http://u/", false), route("root", "/", "http://u/", false)));
        assertEquals("long", table.match("/a/b/c").route().apiId());
        assertEquals("short", table.match("/a/x").route().apiId());
        assertEquals("short", table.match("/abc").route().apiId(), "gorilla PathPrefix: /a also matches /abc");
        assertEquals("root", table.match("/zzz").route().apiId());
    }

    @Test
    void everyApiIsAlsoReachableUnderItsId() {
        var table = RoutingTable.of(List.of(route("api1", "/one/", "http://u/", true)));
        var match = table.match("/api1/x");
        assertEquals("api1", match.route().apiId());
        assertEquals("/x", match.route().upstreamPath(match.prefix(), "/api1/x"));
        assertNull(table.match("/two/x"));
    }

    @Test
    void listenPathStrippingAndTargetJoiningFollowTyk() {
        assertEquals("/anything", route("a", "/p/", "http://u/", true).upstreamPath("/p/", "/p/anything"));
        assertEquals("/p/anything", route("a", "/p/", "http://u/", false).upstreamPath("/p/", "/p/anything"));
        assertEquals("/base/x", route("a", "/p", "http://u/base", true).upstreamPath("/p", "/p/x"));
        assertEquals("/base/x", route("a", "/p/", "http://u/base", true).upstreamPath("/p/", "/p/x"));
        assertEquals("/base/", route("a", "/p/", "http://u/base/", true).upstreamPath("/p/", "/p/"));
        assertEquals("/base", route("a", "/p/", "http://u/base", true).upstreamPath("/p/", "/p/"));
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
