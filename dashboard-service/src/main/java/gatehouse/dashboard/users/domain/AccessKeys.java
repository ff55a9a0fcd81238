package gatehouse.dashboard.users.domain;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A Dashboard user's API credential ({@code access_key}, sent as the {@code authorization} header):
 * 32 hex digits from 16 random bytes, as Tyk shapes it. Only its digest is stored.
 */
public final class AccessKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BEARER = "bearer ";

    private AccessKeys() {}

    /** A new credential. */
    public static String generate() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The credential in an {@code authorization} header: the raw value, or after a leading {@code
     * Bearer } (DASHBOARD.md §11.2); null when there is none.
     */
    public static String presented(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (value.length() > BEARER.length()
                && value.substring(0, BEARER.length())
                        .toLowerCase(Locale.ROOT)
                        .startsWith(BEARER)) {
            value = value.substring(BEARER.length()).trim();
        }
        return value.isEmpty() ? null : value;
    }
}
