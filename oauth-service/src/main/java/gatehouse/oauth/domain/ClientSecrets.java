package gatehouse.oauth.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Client secrets at rest: sealed with AES-256-GCM under a key derived from the installation's
 * secret, because Tyk's control API shows a client's secret again (so a one-way hash will not do)
 * and a dump of the database must not. Comparisons are constant-time.
 */
public final class ClientSecrets {

    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /**
     * @param installationSecret the key digest secret, or the admin secret it is derived from
     */
    public ClientSecrets(String installationSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(
                    new SecretKeySpec(
                            installationSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            this.key =
                    new SecretKeySpec(
                            mac.doFinal(
                                    "gatehouse oauth client secret v1"
                                            .getBytes(StandardCharsets.UTF_8)),
                            "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }

    /** The sealed form of a secret, for storage. */
    public String seal(String secret) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by the Java platform", e);
        }
    }

    /** The secret of a sealed form. */
    public String open(String sealed) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, IV_BYTES));
            return new String(
                    cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "a stored client secret cannot be opened with this installation's secret", e);
        }
    }

    /**
     * True when the presented secret is the sealed one (constant-time over their SHA-256 digests).
     */
    public boolean matches(String presented, String sealed) {
        if (presented == null) {
            return false;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] expected = sha.digest(open(sealed).getBytes(StandardCharsets.UTF_8));
            byte[] actual =
                    MessageDigest.getInstance("SHA-256")
                            .digest(presented.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, actual);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "ClientSecrets[key redacted]";
    }
}
