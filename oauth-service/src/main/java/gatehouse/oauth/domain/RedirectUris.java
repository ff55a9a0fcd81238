package gatehouse.oauth.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Whether a requested {@code redirect_uri} is one a client registered. Tyk (osin) accepts any URI
 * on the same scheme and host whose path starts with the registered path ({@code /cb/../x} and
 * {@code /cbx} pass for {@code /cb}): an open redirect. Gatehouse matches exactly by default; the
 * compatibility mode accepts deeper paths on whole segments only, with no dot segments, encoded
 * slashes, userinfo or fragment.
 */
public final class RedirectUris {

    /** How strictly to match. */
    public enum Mode {
        EXACT,
        SEGMENT
    }

    private RedirectUris() {}

    /**
     * @param registered the client's {@code redirect_uri}, several separated by {@code separator}
     *     when set
     * @return the registered URI the request matched, or null
     */
    public static String match(String registered, String separator, String requested, Mode mode) {
        if (registered == null || registered.isEmpty()) {
            return null;
        }
        List<String> candidates =
                separator == null || separator.isEmpty()
                        ? List.of(registered)
                        : List.of(registered.split(java.util.regex.Pattern.quote(separator)));
        if (requested == null || requested.isEmpty()) {
            // osin: no redirect_uri asked for means the client's first one
            return candidates.get(0);
        }
        for (String candidate : candidates) {
            if (mode == Mode.EXACT
                    ? candidate.equals(requested)
                    : segmentMatch(candidate, requested)) {
                return requested;
            }
        }
        return null;
    }

    private static boolean segmentMatch(String registered, String requested) {
        URI base;
        URI asked;
        try {
            base = new URI(registered);
            asked = new URI(requested);
        } catch (URISyntaxException e) {
            return false;
        }
        if (asked.getRawUserInfo() != null
                || asked.getRawFragment() != null
                || asked.getHost() == null
                || !asked.isAbsolute()) {
            return false;
        }
        String rawPath = asked.getRawPath() == null ? "" : asked.getRawPath();
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f")
                || lower.contains("%5c")
                || lower.contains("%2e")
                || rawPath.contains("\\")
                || rawPath.contains("//")) {
            return false;
        }
        for (String segment : rawPath.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        if (!base.getScheme().equalsIgnoreCase(asked.getScheme())
                || !base.getHost().equalsIgnoreCase(asked.getHost())
                || base.getPort() != asked.getPort()) {
            return false;
        }
        String basePath =
                base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        if (rawPath.equals(basePath)) {
            return true;
        }
        String prefix = basePath.endsWith("/") ? basePath : basePath + "/";
        return rawPath.startsWith(prefix);
    }
}
