package gatehouse.dashboard.common.domain;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Ids as Tyk's Dashboard shapes them (DASHBOARD.md §1.4): 24 hex digits, a MongoDB ObjectId's
 * layout (4 bytes of seconds, then 8 random bytes).
 */
public final class ObjectIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ObjectIds() {}

    /** A new id. */
    public static String next(Clock clock) {
        byte[] id = new byte[12];
        long seconds = clock.instant().getEpochSecond();
        id[0] = (byte) (seconds >>> 24);
        id[1] = (byte) (seconds >>> 16);
        id[2] = (byte) (seconds >>> 8);
        id[3] = (byte) seconds;
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        System.arraycopy(random, 0, id, 4, 8);
        return HexFormat.of().formatHex(id);
    }

    /** True for 24 lower- or upper-case hex digits. */
    public static boolean isValid(String id) {
        return id != null && id.matches("[0-9a-fA-F]{24}");
    }
}
