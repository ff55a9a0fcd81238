package gatehouse.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import gatehouse.contracts.tyk.ApiDefinition;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tyk's classic versioning and path rules (COMPAT §6.1, §6.3, §7.3). */
class VersioningTest {

    private static Versioning versioning(String json, Versioning.Matching matching) {
        return Versioning.of(ApiDefinition.parse(json), matching);
    }

    private static Versioning.Outcome check(
            Versioning v,
            String method,
            String path,
            Map<String, String> headers,
            Map<String, String> params) {
        return v.check(method, "/api" + path, path, headers::get, params::get);
    }

    private static Versioning.Outcome get(Versioning v, String path) {
        return check(v, "GET", path, Map.of(), Map.of());
    }

    private static final Versioning.Refused FORBIDDEN =
            new Versioning.Refused(403, "Requested endpoint is forbidden");

    @Test
    void aVersionedApiReadsTheVersionFromTheHeaderByDefault() {
        var v =
                versioning(
                        """
                {"api_id":"a","version_data":{"not_versioned":false,"versions":{
                  "v1":{"name":"v1"},
                  "v2":{"name":"v2","expires":"2001-01-01 00:00"}}}}""",
                        Versioning.Matching.TYK_DEFAULTS);
        assertEquals(new Versioning.Refused(403, "Version information not found"), get(v, "/x"));
        assertEquals(
                new Versioning.Refused(403, "This API version does not seem to exist"),
                check(v, "GET", "/x", Map.of("x-api-version", "v3"), Map.of()));
        assertEquals(
                new Versioning.Refused(
                        403,
                        "Api Version has expired, please check documentation or contact administrator"),
                check(v, "GET", "/x", Map.of("x-api-version", "v2"), Map.of()));
        assertPassed(false, check(v, "GET", "/x", Map.of("x-api-version", "v1"), Map.of()));
    }

    @Test
    void theDefaultVersionServesRequestsThatNameNone() {
        var v =
                versioning(
                        """
                {"api_id":"a","definition":{"location":"url-param","key":"ver"},
                 "version_data":{"default_version":"v1","versions":{"v1":{"name":"v1"},"v2":{"name":"v2",
                   "paths":{"black_list":["/private"]}}}}}""",
                        Versioning.Matching.TYK_DEFAULTS);
        assertPassed(false, get(v, "/private"));
        assertEquals(FORBIDDEN, check(v, "GET", "/private", Map.of(), Map.of("ver", "v2")));
    }

    @Test
    void aVersionInTheUrlIsReadAndStrippedWhenAskedTo() {
        var v =
                versioning(
                        """
                {"api_id":"a","definition":{"location":"url","strip_path":true},
                 "version_data":{"versions":{"v1":{"name":"v1"}}}}""",
                        Versioning.Matching.TYK_DEFAULTS);
        var passed =
                (Versioning.Passed)
                        v.check("GET", "/api/v1/items", "v1/items", name -> null, name -> null);
        assertEquals("/api/items", passed.strippedPath());
        assertEquals(
                new Versioning.Refused(403, "This API version does not seem to exist"),
                v.check("GET", "/api/v9/items", "v9/items", name -> null, name -> null));
    }

    @Test
    void versionsAreLookedUpByTheirNameNotTheirKey() {
        var v =
                versioning(
                        """
                {"api_id":"a","version_data":{"versions":{"Default":{"name":"v1"}}}}""",
                        Versioning.Matching.TYK_DEFAULTS);
        assertEquals(
                new Versioning.Refused(403, "This API version does not seem to exist"),
                check(v, "GET", "/x", Map.of("x-api-version", "Default"), Map.of()));
    }

    @Test
    void pathRulesGoIgnoredThenBlackThenWhiteAndAreUnanchoredByDefault() {
        String json =
                """
                {"api_id":"a","version_data":{"not_versioned":true,"versions":{"Default":{"name":"Default",
                  "paths":{"ignored":["/health"],"black_list":["/admin"],"white_list":["/items/{id}","/health","/admin"]}}}}}""";
        var v = versioning(json, Versioning.Matching.TYK_DEFAULTS);
        assertPassed(true, get(v, "/health"));
        assertEquals(FORBIDDEN, get(v, "/admin"));
        assertEquals(FORBIDDEN, get(v, "/x/admin/y"), "unanchored: /admin matches inside the path");
        assertPassed(false, get(v, "/items/42"));
        assertEquals(FORBIDDEN, get(v, "/other"), "white list mode: anything else is forbidden");

        var anchored = versioning(json, new Versioning.Matching(true, true, false));
        assertEquals(FORBIDDEN, get(anchored, "/x/admin/y"), "not on the white list either");
        assertEquals(FORBIDDEN, get(anchored, "/items/42/more"), "suffix matching: exact ends");
    }

    @Test
    void extendedPathsApplyPerMethod() {
        var v =
                versioning(
                        """
                {"api_id":"a","version_data":{"not_versioned":true,"versions":{"Default":{"name":"Default",
                  "use_extended_paths":true,"extended_paths":{
                    "black_list":[{"path":"/items","method":"DELETE"}],
                    "ignored":[{"path":"/public","method_actions":{"GET":{"action":"no_action"}}}]}}}}}""",
                        Versioning.Matching.TYK_DEFAULTS);
        assertEquals(FORBIDDEN, check(v, "DELETE", "/items", Map.of(), Map.of()));
        assertPassed(false, get(v, "/items"));
        assertPassed(true, get(v, "/public"));
        assertPassed(false, check(v, "POST", "/public", Map.of(), Map.of()));
    }

    @Test
    void aNonVersionedApiNeedsAnUnambiguousDefault() {
        var ambiguous =
                versioning(
                        """
                {"api_id":"a","version_data":{"not_versioned":true,"versions":{"a":{"name":"a"},"b":{"name":"b"}}}}""",
                        Versioning.Matching.TYK_DEFAULTS);
        assertEquals(
                new Versioning.Refused(
                        403, "Ambiguous default API version for this non-versioned API"),
                get(ambiguous, "/x"));
        var missing =
                versioning(
                        """
                {"api_id":"a","version_data":{"not_versioned":true,"default_version":"z","versions":{"a":{"name":"a"}}}}""",
                        Versioning.Matching.TYK_DEFAULTS);
        assertEquals(
                new Versioning.Refused(
                        403, "No default API version for this non-versioned API found"),
                get(missing, "/x"));
        assertNull(
                Versioning.of(
                        ApiDefinition.parse("{\"api_id\":\"a\"}"),
                        Versioning.Matching.TYK_DEFAULTS));
    }

    private static void assertPassed(boolean ignored, Versioning.Outcome outcome) {
        var passed = assertInstanceOf(Versioning.Passed.class, outcome);
        assertEquals(ignored, passed.ignored());
        assertNull(passed.strippedPath());
    }
}
