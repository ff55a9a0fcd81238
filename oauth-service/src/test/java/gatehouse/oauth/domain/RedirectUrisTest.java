package gatehouse.oauth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile redirect URIs against a client registered with {@code https://app.example.com/cb}. */
class RedirectUrisTest {

    private static final String REGISTERED = "https://app.example.com/cb";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://app.example.com/cb/../x",
                "https://app.example.com/cb/..",
                "https://app.example.com/cb/./x",
                "https://app.example.com/cbx",
                "https://app.example.com/cb.evil",
                "https://app.example.com/cb%2f..%2fx",
                "https://app.example.com/cb%2F..%2Fadmin",
                "https://app.example.com/cb/%2e%2e/x",
                "https://app.example.com/cb/%2E%2E/x",
                "https://app.example.com/cb%5c..%5cx",
                "https://app.example.com/cb\\..\\x",
                "https://app.example.com/cb//evil.com",
                "https://evil.com/cb",
                "https://app.example.com.evil.com/cb",
                "https://evil.com/app.example.com/cb",
                "http://app.example.com/cb",
                "javascript://app.example.com/cb",
                "ftp://app.example.com/cb",
                "https://user@app.example.com/cb",
                "https://app.example.com@evil.com/cb",
                "https://app.example.com:8443/cb",
                "https://app.example.com/cb#@evil.com",
                "https://app.example.com/cb#frag",
                "//app.example.com/cb",
                "/cb",
                "cb",
                "https://APP.example.com/cb/../../x",
                "https://app.example.com/CB",
                "https://app.example.com/",
                "https://app.example.com",
                "https://app.example.com/c",
                "https://app.example.com/cb/sub/../../x",
                "https://app.example.com:443/cb",
                "not a uri at all",
                "https://app.example.com/cb%00.evil.com",
            })
    void hostileUrisAreRefusedInBothModes(String requested) {
        assertNull(
                RedirectUris.match(REGISTERED, "", requested, RedirectUris.Mode.EXACT), requested);
        if (!requested.startsWith("https://app.example.com/cb/")) {
            assertNull(
                    RedirectUris.match(REGISTERED, "", requested, RedirectUris.Mode.SEGMENT),
                    requested);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://app.example.com/cb/../x",
                "https://app.example.com/cb/./x",
                "https://app.example.com/cb/%2e%2e/x",
                "https://app.example.com/cb//evil.com",
                "https://app.example.com/cb/sub/../../x",
                "https://app.example.com/cb/%2F..",
            })
    void dotSegmentsAndEncodedSeparatorsAreRefusedInTheCompatibilityMode(String requested) {
        assertNull(
                RedirectUris.match(REGISTERED, "", requested, RedirectUris.Mode.SEGMENT),
                requested);
    }

    @ParameterizedTest
    @CsvSource({
        "https://app.example.com/cb, EXACT",
        "https://app.example.com/cb, SEGMENT",
        "https://app.example.com/cb/deeper, SEGMENT",
        "https://app.example.com/cb/a/b?x=1, SEGMENT",
    })
    void theRegisteredUriAndInCompatibilityModeItsWholeSegmentsPass(
            String requested, RedirectUris.Mode mode) {
        assertEquals(requested, RedirectUris.match(REGISTERED, "", requested, mode));
    }

    @ParameterizedTest
    @CsvSource({"https://app.example.com/cb/deeper", "https://app.example.com/cb?x=1"})
    void onlyTheExactUriPassesByDefault(String requested) {
        assertNull(RedirectUris.match(REGISTERED, "", requested, RedirectUris.Mode.EXACT));
    }

    @ParameterizedTest
    @CsvSource({"https://a.example/one", "https://b.example/two"})
    void severalRegisteredUrisWithASeparator(String requested) {
        assertEquals(
                requested,
                RedirectUris.match(
                        "https://a.example/one;https://b.example/two",
                        ";",
                        requested,
                        RedirectUris.Mode.EXACT));
    }

    @ParameterizedTest
    @CsvSource({"''"})
    void noRequestedUriMeansTheFirstRegistered(String requested) {
        assertEquals(
                "https://a.example/one",
                RedirectUris.match(
                        "https://a.example/one;https://b.example/two",
                        ";",
                        requested,
                        RedirectUris.Mode.EXACT));
        assertNull(
                RedirectUris.match("", "", requested, RedirectUris.Mode.EXACT),
                "a client without a URI is refused");
    }
}
