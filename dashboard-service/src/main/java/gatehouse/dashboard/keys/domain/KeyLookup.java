package gatehouse.dashboard.keys.domain;

/**
 * How a path names a key (DASHBOARD.md §5.1).
 *
 * @param value the path's value
 * @param hashed the value is the key's hash
 * @param username the value is a basic-auth user name
 * @param autoGuess try the value as the key, then as its hash
 */
public record KeyLookup(String value, boolean hashed, boolean username, boolean autoGuess) {

    /** The query parameters as Tyk reads them: any {@code hashed}, {@code true} for the others. */
    public static KeyLookup of(String value, String hashed, String username, String autoGuess) {
        boolean byHash = hashed != null && !hashed.isEmpty();
        boolean byUser = !byHash && "true".equals(username);
        return new KeyLookup(value, byHash, byUser, !byHash && !byUser && "true".equals(autoGuess));
    }

    /** The same key named by its hash. */
    public KeyLookup byHash(String keyHash) {
        return new KeyLookup(keyHash, true, false, false);
    }
}
