package gatehouse.contracts.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden vectors for Tyk's key hashes and formats (COMPAT §2.1, §2.2). */
class TykKeysTest {

    /**
     * MurmurHash3 reference values (x86_32 and x64_128, seed 0), written big-endian as Tyk does.
     */
    @ParameterizedTest(name = "{0}({1})")
    @CsvSource(
            delimiter = '|',
            value = {
                "murmur32|hello|248bfa47",
                "murmur32||00000000",
                "murmur64|hello|cbd8a7b341bd9b02",
                "murmur128|hello|cbd8a7b341bd9b025b1e906a48ae1d19",
                "sha256|hello|2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                "sha256||e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            })
    void hashesMatchTheReferenceValues(String algorithm, String input, String expected) {
        assertEquals(
                expected, KeyHashAlgorithm.forName(algorithm).hash(input == null ? "" : input));
    }

    @Test
    void hashSizesAreTyksAndUnknownNamesFallBackToMurmur64() {
        assertEquals(8, KeyHashAlgorithm.forName("").hash("k").length());
        assertEquals(8, KeyHashAlgorithm.forName("murmur32").hash("k").length());
        assertEquals(16, KeyHashAlgorithm.forName("murmur64").hash("k").length());
        assertEquals(32, KeyHashAlgorithm.forName("murmur128").hash("k").length());
        assertEquals(64, KeyHashAlgorithm.forName("sha256").hash("k").length());
        assertEquals(16, KeyHashAlgorithm.forName("wrong").hash("k").length());
    }

    @Test
    void legacyKeysAreOrgPlusId() {
        assertEquals("defaultabc", TykKeys.generate("default", "abc", ""));
        assertEquals(
                "defaultabc",
                TykKeys.generate("default", "defaultabc", ""),
                "a leading org id is stripped");
        String generated = TykKeys.generate("default", "", "");
        assertTrue(generated.matches("default[0-9a-f]{32}"), generated);
        assertEquals("", TykKeys.hashAlgorithmOf(generated));
        assertEquals(
                KeyHashAlgorithm.MURMUR32.hash(generated),
                TykKeys.keyHash(generated),
                "legacy keys hash with murmur32");
    }

    @Test
    void hashedKeysAreBase64OfTheExactJson() {
        String key = TykKeys.generate("default", "abc", "sha256");
        assertEquals(
                "{\"org\":\"default\",\"id\":\"abc\",\"h\":\"sha256\"}",
                new String(Base64.getDecoder().decode(key), StandardCharsets.UTF_8));
        assertEquals("default", TykKeys.orgOf(key));
        assertEquals("sha256", TykKeys.hashAlgorithmOf(key));
        assertEquals(64, TykKeys.keyHash(key).length());
        String unknown = TykKeys.generate("o", "i", "md5");
        assertEquals(
                "murmur64", TykKeys.hashAlgorithmOf(unknown), "unknown algorithms become murmur64");
    }

    @Test
    void aMongoStyleOrgIsReadFromTheFirst24HexCharacters() {
        String org = "5e9d9544a1dcd60001d0ed20";
        assertEquals(org, TykKeys.orgOf(TykKeys.generate(org, "", "")));
        assertEquals("", TykKeys.orgOf("short"));
    }

    @Test
    void theStoredDigestIsKeyedAndNeverTheKey() {
        var digest =
                new KeyDigest("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        var other =
                new KeyDigest("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8));
        String key = TykKeys.generate("default", "", "");
        assertEquals(64, digest.of(key).length());
        assertEquals(digest.of(key), digest.of(key));
        assertNotEquals(digest.of(key), other.of(key));
        assertFalse(digest.of(key).contains(key.substring(7)));
        assertThrows(IllegalArgumentException.class, () -> new KeyDigest(new byte[8]));
    }
}
