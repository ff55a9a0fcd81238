package gatehouse.gateway.routing;

import gatehouse.contracts.tyk.ApiDefinition;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Tyk's classic versioning and path rules for one API, compiled when the route is built (COMPAT
 * §6.1, §6.3, §7.3): which version a request asks for, whether that version exists and is current,
 * and whether the path is ignored, black-listed or outside the white list.
 */
public final class Versioning {

    /** What the version check decided. */
    public sealed interface Outcome {}

    /** Refused with Tyk's status and text. */
    public record Refused(int status, String message) implements Outcome {}

    /**
     * Let through.
     *
     * @param ignored the path is on the ignored list: authentication and limits are skipped
     * @param strippedPath the request path to proxy (version segment removed when asked to)
     * @param version the version served, for the key's access rights; null when not versioned
     */
    public record Passed(boolean ignored, String strippedPath, String version) implements Outcome {}

    /**
     * How path patterns match (Tyk's global {@code enable_path_prefix_matching}, {@code
     * enable_path_suffix_matching}, {@code ignore_endpoint_case}).
     */
    public record Matching(boolean prefix, boolean suffix, boolean ignoreCase) {
        public static final Matching TYK_DEFAULTS = new Matching(false, false, false);
    }

    private record Version(
            String name,
            LocalDateTime expires,
            List<PathRule> ignored,
            List<PathRule> whiteList,
            List<PathRule> blackList) {}

    private static final DateTimeFormatter EXPIRY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final boolean notVersioned;
    private final String defaultVersion;
    private final String location;
    private final String key;
    private final boolean strip;
    private final Map<String, Version> versions;

    private Versioning(
            boolean notVersioned,
            String defaultVersion,
            String location,
            String key,
            boolean strip,
            Map<String, Version> versions) {
        this.notVersioned = notVersioned;
        this.defaultVersion = defaultVersion;
        this.location = location;
        this.key = key;
        this.strip = strip;
        this.versions = versions;
    }

    /** Compiles the definition's versions; null when it has none (nothing to check). */
    public static Versioning of(ApiDefinition definition, Matching matching) {
        ApiDefinition.VersionData data = definition.versionData();
        if (data == null || data.versions() == null || data.versions().isEmpty()) {
            return null;
        }
        Map<String, Version> byName = new HashMap<>();
        data.versions()
                .forEach(
                        (mapKey, info) -> {
                            if (info == null) {
                                return;
                            }
                            String name = info.name() == null ? "" : info.name();
                            byName.put(name, compile(name, info, matching));
                        });
        ApiDefinition.VersionDefinition where = definition.versionDefinition();
        String location =
                where == null || where.location() == null || where.location().isBlank()
                        ? "header"
                        : where.location();
        String key =
                where == null || where.key() == null || where.key().isBlank()
                        ? (location.equals("url-param") ? "version" : "x-api-version")
                        : where.key();
        boolean strip = where != null && (where.stripPath() || where.stripVersioningData());
        return new Versioning(
                data.notVersioned(),
                data.defaultVersion() == null ? "" : data.defaultVersion(),
                location,
                key,
                strip,
                Map.copyOf(byName));
    }

    private static Version compile(String name, ApiDefinition.VersionInfo info, Matching matching) {
        List<PathRule> ignored = new ArrayList<>();
        List<PathRule> white = new ArrayList<>();
        List<PathRule> black = new ArrayList<>();
        if (info.useExtendedPaths() && info.extendedPaths() != null) {
            extended(info.extendedPaths().ignored(), ignored, matching);
            extended(info.extendedPaths().whiteList(), white, matching);
            extended(info.extendedPaths().blackList(), black, denying(matching));
        } else if (info.paths() != null) {
            legacy(info.paths().ignored(), ignored, matching);
            legacy(info.paths().whiteList(), white, matching);
            legacy(info.paths().blackList(), black, denying(matching));
        }
        LocalDateTime expires = null;
        if (info.expires() != null && !info.expires().isBlank()) {
            try {
                expires = LocalDateTime.parse(info.expires().trim(), EXPIRY);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "version " + name + " has an unreadable expires: " + info.expires());
            }
        }
        return new Version(
                name, expires, List.copyOf(ignored), List.copyOf(white), List.copyOf(black));
    }

    /**
     * Black-list entries always match regardless of case (ADR 0007): a deny rule must catch {@code
     * /ADMIN} for an upstream that does not tell cases apart. Allowing rules keep Tyk's
     * case-sensitivity.
     */
    private static Matching denying(Matching matching) {
        return new Matching(matching.prefix(), matching.suffix(), true);
    }

    private static void legacy(List<String> patterns, List<PathRule> into, Matching matching) {
        if (patterns != null) {
            patterns.forEach(p -> into.add(PathRule.anyMethod(p, matching)));
        }
    }

    private static void extended(
            List<ApiDefinition.EndpointMeta> entries, List<PathRule> into, Matching matching) {
        if (entries == null) {
            return;
        }
        for (ApiDefinition.EndpointMeta entry : entries) {
            into.add(PathRule.of(entry, matching));
        }
    }

    /**
     * Tyk's path patterns: {@code {name}} and {@code *} wildcards inside an unanchored regex by
     * default.
     */
    static Pattern pattern(String path, Matching matching) {
        String regex =
                (path == null ? "" : path)
                        .replaceAll("\\{[^}/]*}", "([^/]+)")
                        .replace("/*/", "/[^/]+/");
        if (regex.endsWith("/*")) {
            regex = regex.substring(0, regex.length() - 2) + "/.*";
        }
        if (matching.prefix() && !regex.startsWith("^")) {
            regex = "^" + regex;
        }
        if (matching.suffix() && !regex.endsWith("$")) {
            regex = regex + "$";
        }
        try {
            return Pattern.compile(regex, matching.ignoreCase() ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "unusable path pattern " + path + ": " + e.getDescription());
        }
    }

    /**
     * Checks a request.
     *
     * @param method the HTTP method
     * @param fullPath the request path
     * @param afterListen the path with the matched listen path removed (leading slash kept)
     * @param headerLookup reads a request header
     * @param paramLookup reads a query parameter
     */
    public Outcome check(
            String method,
            String fullPath,
            String afterListen,
            java.util.function.Function<String, String> headerLookup,
            java.util.function.Function<String, String> paramLookup) {
        String requested;
        String versionless = afterListen;
        if (notVersioned) {
            requested =
                    defaultVersion.isEmpty() && versions.size() == 1
                            ? versions.keySet().iterator().next()
                            : defaultVersion;
            if (!versions.containsKey(requested)) {
                return new Refused(
                        403,
                        versions.size() > 1 && defaultVersion.isEmpty()
                                ? "Ambiguous default API version for this non-versioned API"
                                : "No default API version for this non-versioned API found");
            }
        } else {
            requested =
                    switch (location) {
                        case "url-param" -> paramLookup.apply(key);
                        case "url" -> firstSegment(afterListen);
                        default -> headerLookup.apply(key);
                    };
            if (location.equals("url") && requested != null && versions.containsKey(requested)) {
                versionless =
                        afterListen.substring(afterListen.indexOf(requested) + requested.length());
            }
            if (requested == null || requested.isEmpty()) {
                if (defaultVersion.isEmpty()) {
                    return new Refused(403, "Version information not found");
                }
                requested = defaultVersion;
            }
        }
        Version version = versions.get(requested);
        if (version == null) {
            return new Refused(403, "This API version does not seem to exist");
        }
        if (version.expires() != null
                && version.expires().isBefore(LocalDateTime.now(ZoneOffset.UTC))) {
            return new Refused(
                    403,
                    "Api Version has expired, please check documentation or contact administrator");
        }
        List<String> candidates =
                versionless.equals(afterListen)
                        ? List.of(afterListen, fullPath)
                        : List.of(versionless, afterListen, fullPath);
        String proxied =
                strip && location.equals("url") && !versionless.equals(afterListen)
                        ? joinOnce(
                                fullPath.substring(0, fullPath.length() - afterListen.length()),
                                versionless)
                        : null;
        for (PathRule rule : version.ignored()) {
            if (rule.matches(method, candidates)) {
                return new Passed(true, proxied, notVersioned ? null : requested);
            }
        }
        // a deny rule also sees the path without ;parameters, which some upstreams ignore
        List<String> denied =
                fullPath.indexOf(';') < 0
                        ? candidates
                        : candidates.stream()
                                .flatMap(c -> java.util.stream.Stream.of(c, withoutParameters(c)))
                                .toList();
        for (PathRule rule : version.blackList()) {
            if (rule.matches(method, denied)) {
                return new Refused(403, "Requested endpoint is forbidden");
            }
        }
        if (!version.whiteList().isEmpty()
                && version.whiteList().stream()
                        .noneMatch(rule -> rule.matches(method, candidates))) {
            return new Refused(403, "Requested endpoint is forbidden");
        }
        return new Passed(false, proxied, notVersioned ? null : requested);
    }

    private static String withoutParameters(String path) {
        return path.replaceAll(";[^/]*", "");
    }

    private static String joinOnce(String head, String tail) {
        if (head.endsWith("/") && tail.startsWith("/")) {
            return head + tail.substring(1);
        }
        return head + tail;
    }

    private static String firstSegment(String path) {
        String rest = path.startsWith("/") ? path.substring(1) : path;
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
