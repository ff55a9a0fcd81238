package gatehouse.dashboard.access.domain;

import java.util.Locale;

/**
 * Which permission section guards a Dashboard path, and whether a caller may make the call
 * (DASHBOARD.md §3.2, Gatehouse's mapping): reads need {@code read}, writes {@code write}; a path
 * of no section is for admins only.
 */
public final class Access {

    /** The 403 text before the path; Tyk's has two spaces before the path. */
    public static final String DENIED_PREFIX =
            "access denied: You do not have permission to access  ";

    /** The section of a path any authenticated user may call (their own user document). */
    public static final String ANY_USER = "";

    private Access() {}

    /**
     * The section guarding a path: {@link #ANY_USER} for {@code /api/users/me}, null for a path
     * only admins may call.
     */
    public static String section(String path) {
        String[] s = path.split("/", -1);
        // s[0] is empty (paths start with /), s[1] is "api"
        if (s.length < 3 || !"api".equals(s[1])) {
            return null;
        }
        String first = s[2];
        switch (first) {
            case "users":
                return s.length == 4 && "me".equals(s[3]) ? ANY_USER : "users";
            case "usergroups":
                return "user_groups";
            case "keys":
                return "keys";
            case "activity":
            case "usage":
                return "analytics";
            case "hooks":
                return "hooks";
            case "certs":
                return "certs";
            case "assets":
                return "api_assets";
            case "portal":
                return s.length >= 4 && "policies".equals(s[3]) ? "policies" : null;
            case "apis":
                if (s.length >= 4 && "oauth".equals(s[3])) {
                    return "oauth";
                }
                if (s.length >= 4 && "keys".equals(s[3])) {
                    return "keys";
                }
                if (s.length >= 5 && "keys".equals(s[4])) {
                    return "keys";
                }
                return "apis";
            default:
                return null;
        }
    }

    /**
     * True when the call only reads: GET, HEAD, and the searches Tyk sends as POST ({@code
     * .../search}, {@code /api/keys/preview}).
     */
    public static boolean reads(String method, String path) {
        String m = method.toUpperCase(Locale.ROOT);
        if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
            return true;
        }
        return m.equals("POST") && (path.endsWith("/search") || path.equals("/api/keys/preview"));
    }

    /**
     * Null when the caller may make the call; otherwise the 403 message (the concrete path, after
     * Tyk's two spaces).
     */
    public static String denial(Caller caller, String method, String path) {
        String section = section(path);
        Permissions permissions = caller.permissions();
        boolean allowed;
        if (section == null) {
            allowed = permissions.isAdmin();
        } else if (section.isEmpty()) {
            allowed = true;
        } else {
            Level needed = reads(method, path) ? Level.READ : Level.WRITE;
            allowed = permissions.level(section).covers(needed);
        }
        return allowed ? null : DENIED_PREFIX + path;
    }
}
