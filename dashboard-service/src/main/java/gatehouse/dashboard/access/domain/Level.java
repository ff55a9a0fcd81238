package gatehouse.dashboard.access.domain;

/** What a permission entry allows in its section (DASHBOARD.md §3.2). */
public enum Level {
    /** Nothing: the section is closed. */
    DENY,
    /** Reads only. */
    READ,
    /** Reads and writes. */
    WRITE;

    /** True when this level allows at least what {@code other} allows. */
    public boolean covers(Level other) {
        return compareTo(other) >= 0;
    }
}
