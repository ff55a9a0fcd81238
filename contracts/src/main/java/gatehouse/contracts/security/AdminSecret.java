package gatehouse.contracts.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The control API's shared secret ({@code x-tyk-authorization}, Tyk's {@code secret}). Compared in
 * constant time over fixed-length digests, so neither content nor length leaks through timing. An
 * empty secret is refused unless the node is explicitly a local demo.
 */
public final class AdminSecret {

    private final byte[] digest;

    private AdminSecret(byte[] digest) {
        this.digest = digest;
    }

    /**
     * @param secret the configured secret
     * @param allowEmptySecret true only for an explicit local demo; then requests without the
     *     header are let in, as Tyk does with an empty secret
     * @throws IllegalStateException when the secret is empty and that is not allowed
     */
    public static AdminSecret of(String secret, boolean allowEmptySecret) {
        String value = secret == null ? "" : secret;
        if (value.isEmpty() && !allowEmptySecret) {
            throw new IllegalStateException(
                    "the admin secret is empty: set TYK_GW_SECRET "
                            + "(or gatehouse.allow-empty-secret=true for a local demo only)");
        }
        return new AdminSecret(sha256(value));
    }

    /** True when the presented header value equals the secret; a missing header counts as empty. */
    public boolean matches(String presented) {
        return MessageDigest.isEqual(digest, sha256(presented == null ? "" : presented));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "AdminSecret[redacted]";
    }
}
