package gatehouse.contracts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The canonical reading of request paths (ADR 0007), row by row. */
class RequestPathsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvFileSource(
            resources = "/paths/canonical.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void row(String raw, String expected) {
        String path = raw == null ? "" : raw;
        if ("REFUSED".equals(expected)) {
            assertThrows(
                    RequestPaths.RefusedPathException.class,
                    () -> RequestPaths.canonical(path),
                    path);
        } else {
            assertEquals(expected, RequestPaths.canonical(path));
            assertEquals(expected, RequestPaths.canonical(expected), "canonical is a fixed point");
        }
    }

    @Test
    void aPlainPathIsReturnedAsItIsWithoutCopying() {
        String raw = "/api/v1/items/42";
        assertSame(raw, RequestPaths.canonical(raw));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/tyk/apis",
                "/tyk/apis/",
                "/tyk/apis//",
                "/tyk/keys/abc",
                "/tyk/oauth/clients/x/y"
            })
    void canonicalControlPathsAreServed(String path) {
        assertNull(RequestPaths.controlPathRefusal(path));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/tyk/policies/../apis/x",
                "/tyk/apis/%2F",
                "/tyk/%61pis",
                "/tyk//apis",
                "/tyk/./apis",
                "/tyk/apis;x",
                "/tyk/apis/%2e%2e",
                "/tyk/apis\\x",
                "/tyk/keys/a%00"
            })
    void everyOtherControlPathIsRefused(String path) {
        assertNotNull(RequestPaths.controlPathRefusal(path), path);
    }
}
