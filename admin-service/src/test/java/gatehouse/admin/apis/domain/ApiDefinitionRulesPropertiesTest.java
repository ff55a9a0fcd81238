package gatehouse.admin.apis.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.admin.documents.InvalidDocumentException;
import gatehouse.contracts.http.RequestPaths;
import gatehouse.contracts.tyk.TykJson;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated API ids and listen paths fed to {@link ApiDefinitionRules}: it throws nothing but
 * {@link InvalidDocumentException}, and never accepts an id that is not one plain path segment nor
 * a listen path no request could reach (not canonical, or the gateway's own {@code /tyk}, {@code
 * /hello}, {@code /ready}).
 */
class ApiDefinitionRulesPropertiesTest {

    @Property(tries = 1000)
    void acceptsOnlyIdsAndListenPathsARequestCanReach(
            @ForAll("ids") String id, @ForAll("listenPaths") String listenPath) {
        String body =
                TykJson.encode(
                        Map.of(
                                "api_id",
                                id,
                                "proxy",
                                Map.of("listen_path", listenPath, "target_url", "http://u/")));
        try {
            ApiDocument api = ApiDefinitionRules.read(body);
            String acceptedId = api.apiId();
            assertFalse(
                    acceptedId.isBlank()
                            || acceptedId.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f || c == '/')
                            || acceptedId.length() > 255,
                    "accepted the id " + acceptedId);
            assertTrue(
                    RequestPaths.canonical(listenPath).equals(listenPath),
                    "accepted a listen path that is not canonical: " + listenPath);
            assertFalse(
                    listenPath.equals("/hello")
                            || listenPath.equals("/ready")
                            || listenPath.equals("/tyk")
                            || listenPath.startsWith("/tyk/"),
                    "accepted a listen path the gateway answers itself: " + listenPath);
        } catch (InvalidDocumentException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank());
        }
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.oneOf(
                Arbitraries.strings()
                        .withChars("abc-_.~/\\% \u0000\u007f\u00e9;?#")
                        .ofMaxLength(12),
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(40),
                Arbitraries.strings().alpha().ofLength(300),
                Arbitraries.of("", " ", ".", "..", "%2e%2e", "%252e", "a/b", "a\\b"));
    }

    @Provide
    Arbitrary<String> listenPaths() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("/abc.%2e5fF;#?\\ ").ofMaxLength(16),
                Arbitraries.strings().alpha().ofMaxLength(10).map(s -> "/" + s + "/"),
                Arbitraries.of(
                        "/tyk/",
                        "/tyk",
                        "/hello",
                        "/ready",
                        "/hello/",
                        "no-slash",
                        "//",
                        "/a/../b/",
                        "/%61/",
                        "/#frag/",
                        "/a b/",
                        "/{id}/x/"));
    }
}
