package gatehouse.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gatehouse.contracts.tyk.ApiDefinition;
import gatehouse.contracts.tyk.TykJson;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VersionRouterTest {

    private static VersionRouter router(String definition) throws Exception {
        return VersionRouter.of(
                TykJson.MAPPER.readValue(
                        """
                        {"api_id":"base","proxy":{"listen_path":"/base/","target_url":"http://u/"},
                         "definition":%s}"""
                                .formatted(definition),
                        ApiDefinition.class));
    }

    private static VersionRouter.Decision route(
            VersionRouter router, String afterListen, Map<String, String> headers) {
        Set<String> loaded = Set.of("child", "other");
        return router.route(afterListen, headers::get, name -> null, loaded::contains);
    }

    @Test
    void onlyAnEnabledDefinitionWithVersionsRoutes() throws Exception {
        assertNull(router("{\"enabled\":false,\"versions\":{\"v2\":\"child\"}}"));
        assertNull(router("{\"enabled\":true,\"versions\":{}}"));
        assertNull(router("{\"location\":\"header\"}"));
    }

    @Test
    void theHeaderPicksTheVersionAndTheBaseServesItsOwn() throws Exception {
        VersionRouter router =
                router(
                        "{\"enabled\":true,\"name\":\"v1\",\"default\":\"self\",\"versions\":{\"v2\":\"child\",\"v3\":\"gone\"}}");
        assertEquals(new VersionRouter.Base(), route(router, "/x", Map.of()));
        assertEquals(new VersionRouter.Base(), route(router, "/x", Map.of("x-api-version", "v1")));
        assertEquals(
                new VersionRouter.Child("child", "/x"),
                route(router, "/x", Map.of("x-api-version", "v2")));
        assertEquals(
                new VersionRouter.Refused(404, "This API version does not seem to exist"),
                route(router, "/x", Map.of("x-api-version", "v3")));
        assertEquals(
                new VersionRouter.Refused(404, "This API version does not seem to exist"),
                route(router, "/x", Map.of("x-api-version", "v9")));
    }

    @Test
    void noVersionAndNoDefaultIsRefusedAndAFallbackServesTheDefault() throws Exception {
        assertEquals(
                new VersionRouter.Refused(403, "Version information not found"),
                route(
                        router(
                                "{\"enabled\":true,\"name\":\"v1\",\"versions\":{\"v2\":\"child\"}}"),
                        "/x",
                        Map.of()));
        VersionRouter fallback =
                router(
                        "{\"enabled\":true,\"name\":\"v1\",\"default\":\"v2\",\"fallback_to_default\":true,\"versions\":{\"v2\":\"child\"}}");
        assertEquals(
                new VersionRouter.Child("child", "/x"),
                route(fallback, "/x", Map.of("x-api-version", "v9")));
        VersionRouter broken =
                router(
                        "{\"enabled\":true,\"name\":\"v1\",\"default\":\"v7\",\"fallback_to_default\":true,\"versions\":{\"v2\":\"child\"}}");
        assertEquals(
                new VersionRouter.Refused(500, "Internal Server Error"),
                route(broken, "/x", Map.of("x-api-version", "v9")));
    }

    @Test
    void aVersionInThePathIsStrippedWhenAsked() throws Exception {
        VersionRouter keep =
                router(
                        "{\"enabled\":true,\"name\":\"v1\",\"location\":\"url\",\"versions\":{\"v2\":\"child\"}}");
        assertEquals(new VersionRouter.Child("child", "v2/x"), route(keep, "v2/x", Map.of()));
        VersionRouter strip =
                router(
                        "{\"enabled\":true,\"name\":\"v1\",\"location\":\"url\",\"strip_versioning_data\":true,\"versions\":{\"v2\":\"child\"}}");
        assertEquals(new VersionRouter.Child("child", "/x"), route(strip, "v2/x", Map.of()));
        assertEquals("/base/x", VersionRouter.join("/base/", "/x"));
        assertEquals("/base/v2/x", VersionRouter.join("/base/", "v2/x"));
    }
}
