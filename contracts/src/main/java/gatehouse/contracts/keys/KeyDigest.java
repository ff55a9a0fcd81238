package gatehouse.contracts.keys;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How Gatehouse stores and publishes a key: HMAC-SHA-256 of the key under a secret the owners and the
 * gateways share, in hex. A dump of the database or of {@code gatehouse.keys} holds no raw key, and,
 * unlike Tyk's murmur hashes, no key can be recovered by brute force without the secret.
 */
public final class KeyDigest {

    private final SecretKeySpec secret;

    /** @param secret at least 32 bytes */
    public KeyDigest(byte[] secret) {
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("the key digest secret must be at least 32 bytes");
        }
        this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** The stored id of a key. */
    public String of(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "KeyDigest[secret redacted]";
    }
}
