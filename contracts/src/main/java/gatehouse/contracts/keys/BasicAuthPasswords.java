package gatehouse.contracts.keys;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Basic-auth passwords as Tyk keeps them in {@code basic_auth_data}: hashed with {@code
 * basic_auth_hash_key_function} (bcrypt by default, cost 10), or sha256 / murmur, or plain for
 * sessions written that way. Every comparison is constant-time; bcrypt costs milliseconds, so
 * callers on an event loop must run {@link #matches} elsewhere.
 */
public final class BasicAuthPasswords {

    /** Tyk's {@code hash_type} for bcrypt. */
    public static final String BCRYPT = "bcrypt";

    private static final int BCRYPT_COST = 10;

    private BasicAuthPasswords() {}

    /**
     * Hashes a password with the named function.
     *
     * @param hashType {@code bcrypt}, {@code sha256}, {@code murmur32/64/128}, or empty for plain
     */
    public static String hash(String password, String hashType) {
        if (hashType == null || hashType.isEmpty()) {
            return password;
        }
        if (BCRYPT.equals(hashType)) {
            return BCrypt.with(BCrypt.Version.VERSION_2A)
                    .hashToString(BCRYPT_COST, password.toCharArray());
        }
        return KeyHashAlgorithm.forName(hashType).hash(password);
    }

    /** True when the password matches the stored value of that hash type. */
    public static boolean matches(String password, String stored, String hashType) {
        if (password == null || stored == null) {
            return false;
        }
        if (BCRYPT.equals(hashType)) {
            return BCrypt.verifyer().verify(password.toCharArray(), stored.toCharArray()).verified;
        }
        String candidate = hash(password, hashType);
        return MessageDigest.isEqual(
                candidate.getBytes(StandardCharsets.UTF_8),
                stored.getBytes(StandardCharsets.UTF_8));
    }
}
