package gatehouse.dashboard.access.domain;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Dashboard user's or group's {@code user_permissions} (DASHBOARD.md §3.2): section name to
 * {@code read}, {@code write} or {@code deny}, plus the special entries {@code IsAdmin} and {@code
 * ResetPassword} (value {@code admin}). A non-empty map is a whitelist; an empty one is the legacy
 * admin (accepted when read from storage, refused on writes by the API).
 */
public final class Permissions {

    /** Full access. */
    public static final String IS_ADMIN = "IsAdmin";

    /** May reset other users' passwords; only the Admin API sets it. */
    public static final String RESET_PASSWORD = "ResetPassword";

    private static final String ADMIN_VALUE = "admin";
    private static final String LEGACY_POLICY_SECTION = "policy";
    private static final String POLICY_SECTION = "policies";

    /** {@code IsAdmin} and {@code ResetPassword}: what the Admin API gives a user created bare. */
    public static final Permissions FULL_ADMIN =
            new Permissions(
                    new TreeMap<>(Map.of(IS_ADMIN, ADMIN_VALUE, RESET_PASSWORD, ADMIN_VALUE)));

    private final TreeMap<String, String> entries;

    private Permissions(TreeMap<String, String> entries) {
        this.entries = entries;
    }

    /**
     * Reads a map as sent or stored: values are trimmed and lower-cased; the old section name
     * {@code policy} is written {@code policies}.
     *
     * @throws InvalidPermissionsException for an empty section name or a value that is not {@code
     *     read}, {@code write}, {@code deny} (or {@code admin} for the two special entries)
     */
    public static Permissions of(Map<String, String> raw) {
        TreeMap<String, String> entries = new TreeMap<>();
        if (raw != null) {
            raw.forEach(
                    (section, value) -> {
                        if (section == null || section.isBlank()) {
                            throw new InvalidPermissionsException("a permission needs a section");
                        }
                        String level =
                                value == null
                                        ? ""
                                        : value.trim().toLowerCase(java.util.Locale.ROOT);
                        boolean special = isSpecial(section);
                        if (special ? !isAdminValue(level) : parseLevel(level) == null) {
                            throw new InvalidPermissionsException(
                                    "permission " + section + " cannot be '" + value + "'");
                        }
                        String name =
                                LEGACY_POLICY_SECTION.equals(section) ? POLICY_SECTION : section;
                        entries.put(name, level);
                    });
        }
        return new Permissions(entries);
    }

    /** True when the map is empty (nothing granted, nothing named). */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Full access: {@code IsAdmin: admin}, or the legacy empty map. */
    public boolean isAdmin() {
        return entries.isEmpty() || isAdminValue(entries.get(IS_ADMIN));
    }

    /** {@code ResetPassword: admin}. */
    public boolean canResetPasswords() {
        return isAdminValue(entries.get(RESET_PASSWORD));
    }

    /** The level of a section: an admin has write everywhere; an unlisted section is denied. */
    public Level level(String section) {
        if (isAdmin()) {
            return Level.WRITE;
        }
        String name = LEGACY_POLICY_SECTION.equals(section) ? POLICY_SECTION : section;
        Level level = parseLevel(entries.get(name));
        return level == null ? Level.DENY : level;
    }

    /**
     * True when a holder of these permissions may hand out {@code other} (or act on a user who
     * holds them): an admin may grant anything; anyone else only what they hold themselves, never
     * admin.
     */
    public boolean covers(Permissions other) {
        if (isAdmin()) {
            return true;
        }
        if (other.isAdmin() || other.canResetPasswords()) {
            return false;
        }
        for (Map.Entry<String, String> entry : other.entries.entrySet()) {
            Level wanted = parseLevel(entry.getValue());
            if (wanted != null && !level(entry.getKey()).covers(wanted)) {
                return false;
            }
        }
        return true;
    }

    /** The same map with {@code ResetPassword} set or removed. */
    public Permissions withResetPassword(boolean allowed) {
        TreeMap<String, String> copy = new TreeMap<>(entries);
        if (allowed) {
            copy.put(RESET_PASSWORD, ADMIN_VALUE);
        } else {
            copy.remove(RESET_PASSWORD);
        }
        return new Permissions(copy);
    }

    /**
     * The permissions of a member of a group: the group's, with the member's own {@code
     * ResetPassword} (only the Admin API grants that, and only to users).
     */
    public Permissions asMemberOf(Permissions group) {
        return group.withResetPassword(canResetPasswords());
    }

    /** The entries, sorted by section as Go writes a map. */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(entries);
    }

    private static boolean isSpecial(String section) {
        return IS_ADMIN.equals(section) || RESET_PASSWORD.equals(section);
    }

    private static boolean isAdminValue(String value) {
        return ADMIN_VALUE.equals(value);
    }

    private static Level parseLevel(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "read" -> Level.READ;
            case "write" -> Level.WRITE;
            case "deny" -> Level.DENY;
            default -> null;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Permissions other && other.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
