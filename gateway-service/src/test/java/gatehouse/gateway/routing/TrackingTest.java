package gatehouse.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.tyk.ApiDefinition;
import org.junit.jupiter.api.Test;

/**
 * An API's analytics options (Tyk's do_not_track, tag_headers, track_endpoints,
 * do_not_track_endpoints), read from its definition document.
 */
class TrackingTest {

    private static Tracking tracking(String json) throws Exception {
        return Tracking.of(ApiDefinition.parse(json), Versioning.Matching.TYK_DEFAULTS);
    }

    private static final String NOT_VERSIONED =
            """
            {"api_id":"a","name":"Shop","org_id":"o1","tag_headers":["X-Team","x-region"," "],
             "version_data":{"not_versioned":true,"default_version":"","versions":{"Default":{
               "name":"Default","use_extended_paths":true,"extended_paths":{
                 "track_endpoints":[{"path":"/orders/{id}","method":"GET"},
                                    {"path":"/carts/*","method_actions":{"post":{}}}],
                 "do_not_track_endpoints":[{"path":"/health","method":"GET"}]}}}}}""";

    @Test
    void aTrackedEndpointIsRecordedUnderItsPattern() throws Exception {
        var t = tracking(NOT_VERSIONED);
        assertTrue(t.hasEndpointRules());
        assertEquals("/orders/{id}", t.trackedPath(null, "GET", "/orders/17", "/shop/orders/17"));
        // the entry's method only
        assertNull(t.trackedPath(null, "DELETE", "/orders/17", "/shop/orders/17"));
        // the older method_actions form names the methods too
        assertEquals(
                "/carts/*", t.trackedPath(null, "POST", "/carts/9/items", "/shop/carts/9/items"));
        assertNull(t.trackedPath(null, "GET", "/carts/9/items", "/shop/carts/9/items"));
        assertNull(t.trackedPath(null, "GET", "/other", "/shop/other"));
    }

    @Test
    void anUntrackedEndpointGivesNoRecord() throws Exception {
        var t = tracking(NOT_VERSIONED);
        assertTrue(t.untracked(null, "GET", "/health", "/shop/health"));
        assertFalse(t.untracked(null, "POST", "/health", "/shop/health"));
        assertFalse(t.untracked(null, "GET", "/orders/1", "/shop/orders/1"));
    }

    @Test
    void nameOrgAndTagHeadersComeFromTheDefinition() throws Exception {
        var t = tracking(NOT_VERSIONED);
        assertEquals("Shop", t.apiName());
        assertEquals("o1", t.orgId());
        assertFalse(t.doNotTrack());
        // lower case, as Tyk compares them with the lower-cased request header; blanks skipped
        assertArrayEquals(new String[] {"x-team", "x-region"}, t.tagHeaders());
    }

    @Test
    void doNotTrackIsReadAtApiLevel() throws Exception {
        assertTrue(tracking("{\"api_id\":\"a\",\"do_not_track\":true}").doNotTrack());
        var plain = tracking("{\"api_id\":\"a\"}");
        assertFalse(plain.doNotTrack());
        assertFalse(plain.hasEndpointRules());
        assertNull(plain.trackedPath(null, "GET", "/x", "/a/x"));
        assertFalse(plain.untracked(null, "GET", "/x", "/a/x"));
    }

    @Test
    void eachVersionTracksItsOwnEndpoints() throws Exception {
        var t =
                tracking(
                        """
                {"api_id":"a","version_data":{"not_versioned":false,"versions":{
                  "v1":{"name":"v1","use_extended_paths":true,"extended_paths":{
                    "track_endpoints":[{"path":"/items","method":"GET"}]}},
                  "v2":{"name":"v2","use_extended_paths":true,"extended_paths":{
                    "do_not_track_endpoints":[{"path":"/items","method":"GET"}]}}}}}""");
        assertEquals("/items", t.trackedPath("v1", "GET", "/items", "/a/items"));
        assertFalse(t.untracked("v1", "GET", "/items", "/a/items"));
        assertNull(t.trackedPath("v2", "GET", "/items", "/a/items"));
        assertTrue(t.untracked("v2", "GET", "/items", "/a/items"));
        assertNull(t.trackedPath("v3", "GET", "/items", "/a/items"));
    }

    @Test
    void entriesCountOnlyWhereExtendedPathsAreInUse() throws Exception {
        var t =
                tracking(
                        """
                {"api_id":"a","version_data":{"not_versioned":true,"versions":{"Default":{
                  "name":"Default","use_extended_paths":false,"extended_paths":{
                    "track_endpoints":[{"path":"/items","method":"GET"}]}}}}}""");
        assertFalse(t.hasEndpointRules());
        assertNull(t.trackedPath(null, "GET", "/items", "/a/items"));
    }

    @Test
    void anUnusablePatternRefusesTheDefinition() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        tracking(
                                """
                        {"api_id":"a","version_data":{"not_versioned":true,"versions":{"Default":{
                          "name":"Default","use_extended_paths":true,"extended_paths":{
                            "track_endpoints":[{"path":"/items[","method":"GET"}]}}}}}"""));
    }
}
