package gatehouse.contracts.keys;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How Gatehouse stores and publishes a key: HMAC-SHA-256 of the key under a secret the owners and
 * the gateways share, in hex. A dump of the database or of {@code gatehouse.keys} holds no raw key,
 * and, unlike Tyk's murmur hashes, no key can be recovered by brute force without the secret.
 */
public final class KeyDigest {

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] DERIVATION_LABEL =
            "gatehouse key digest v1".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec secret;
    // one Mac per thread: the gateway digests a key on every request
    private final ThreadLocal<Mac> macs;

    /**
     * @param secret at least 32 bytes
     */
    public KeyDigest(byte[] secret) {
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("the key digest secret must be at least 32 bytes");
        }
        this.secret = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * The digest every service of one installation agrees on: the configured digest secret ({@code
     * GATEHOUSE_KEY_DIGEST_SECRET}, at least 32 characters) or, when none is set, one derived from
     * the admin secret, so a suite configured with only {@code TYK_GW_SECRET} still agrees.
     * Changing the secret in use makes every stored key unreachable.
     */
    public static KeyDigest fromSecrets(String digestSecret, String adminSecret) {
        if (digestSecret != null && !digestSecret.isBlank()) {
            return new KeyDigest(digestSecret.getBytes(StandardCharsets.UTF_8));
        }
        if (adminSecret == null || adminSecret.isEmpty()) {
            throw new IllegalArgumentException(
                    "a key digest secret or an admin secret is required");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(adminSecret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return new KeyDigest(mac.doFinal(DERIVATION_LABEL));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }

    /**
     * The sealing of session secrets under this installation's secret: a key derived from it, never
     * the digest key itself.
     */
    public SessionSecrets sessionSecrets() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return new SessionSecrets(
                    mac.doFinal("gatehouse session secrets v1".getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }

    /** The stored id of a key. */
    public String of(String key) {
        Mac mac = macs.get();
        return hex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    // on every keyed request: straight into a Latin-1 string, without HexFormat's builder
    private static String hex(byte[] bytes) {
        byte[] text = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            text[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xf];
            text[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xf];
        }
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "KeyDigest[secret redacted]";
    }
}
