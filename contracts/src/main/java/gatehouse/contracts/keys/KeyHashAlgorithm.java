package gatehouse.contracts.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Tyk's key hash functions ({@code hash_key_function}, COMPAT §2.2): lowercase hex of the
 * big-endian digest. These are Tyk's {@code key_hash} values shown to clients, not how Gatehouse
 * stores keys (see {@link KeyDigest}).
 */
public enum KeyHashAlgorithm {

    /** MurmurHash3 x86_32, seed 0: 8 hex characters. */
    MURMUR32("murmur32"),
    /** The first half (h1) of MurmurHash3 x64_128, seed 0: 16 hex characters. */
    MURMUR64("murmur64"),
    /** h1 then h2 of MurmurHash3 x64_128, seed 0: 32 hex characters. */
    MURMUR128("murmur128"),
    /** SHA-256: 64 hex characters. */
    SHA256("sha256");

    private static final HexFormat HEX = HexFormat.of();

    private final String tykName;

    KeyHashAlgorithm(String tykName) {
        this.tykName = tykName;
    }

    /** The name in Tyk's configuration and in a key's {@code h} field. */
    public String tykName() {
        return tykName;
    }

    /**
     * The algorithm for a name as Tyk resolves it: empty means murmur32, an unknown name murmur64.
     */
    public static KeyHashAlgorithm forName(String name) {
        if (name == null || name.isEmpty()) {
            return MURMUR32;
        }
        for (KeyHashAlgorithm algorithm : values()) {
            if (algorithm.tykName.equals(name.toLowerCase(Locale.ROOT))) {
                return algorithm;
            }
        }
        return MURMUR64;
    }

    /** The hex digest of the text's UTF-8 bytes. */
    public String hash(String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        return switch (this) {
            case MURMUR32 ->
                    HEX.formatHex(
                            ByteBuffer.allocate(4)
                                    .putInt(MurmurHash3.hash32x86(data, 0, data.length, 0))
                                    .array());
            case MURMUR64 ->
                    HEX.formatHex(
                            ByteBuffer.allocate(8)
                                    .putLong(MurmurHash3.hash128x64(data, 0, data.length, 0)[0])
                                    .array());
            case MURMUR128 -> {
                long[] h = MurmurHash3.hash128x64(data, 0, data.length, 0);
                yield HEX.formatHex(ByteBuffer.allocate(16).putLong(h[0]).putLong(h[1]).array());
            }
            case SHA256 -> HEX.formatHex(sha256(data));
        };
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
