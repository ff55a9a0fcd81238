package gatehouse.gateway.routing;

import gatehouse.contracts.tyk.ApiDefinition;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Tyk's multi-API versioning on a base API ({@code definition.enabled}, COMPAT §6.1): the version a
 * request asks for (header, query parameter or first path segment), and the API that serves it,
 * decided before the base's own checks. A version the base itself serves ({@code self}, its own
 * {@code name}) goes on through the base.
 */
public final class VersionRouter {

    private static final String SELF = "self";

    /** What the router decided. */
    public sealed interface Decision {}

    /** The base API serves the request itself. */
    public record Base() implements Decision {}

    /**
     * Another API serves it.
     *
     * @param apiId the version's API
     * @param afterListen the path after the base's listen path (as matched), the version segment
     *     removed when the definition strips it
     */
    public record Child(String apiId, String afterListen) implements Decision {}

    /** Refused with Tyk's status and text. */
    public record Refused(int status, String message) implements Decision {}

    private static final Base BASE = new Base();

    private final String location;
    private final String key;
    private final String name;
    private final String defaultName;
    private final boolean fallbackToDefault;
    private final boolean strip;
    private final Map<String, String> versions;

    private VersionRouter(
            ApiDefinition.VersionDefinition definition, Map<String, String> versions) {
        this.location =
                definition.location() == null || definition.location().isBlank()
                        ? "header"
                        : definition.location();
        this.key =
                definition.key() == null || definition.key().isBlank()
                        ? (location.equals("url-param") ? "version" : "x-api-version")
                        : definition.key();
        this.name = definition.name() == null ? "" : definition.name();
        this.defaultName = definition.defaultName() == null ? "" : definition.defaultName();
        this.fallbackToDefault = definition.fallbackToDefault();
        this.strip = definition.stripPath() || definition.stripVersioningData();
        this.versions = Map.copyOf(versions);
    }

    /** The router of a base API; null when the definition does not route versions. */
    public static VersionRouter of(ApiDefinition definition) {
        ApiDefinition.VersionDefinition where = definition.versionDefinition();
        if (where == null || !where.enabled() || where.versions() == null) {
            return null;
        }
        Map<String, String> usable = new java.util.HashMap<>();
        where.versions()
                .forEach(
                        (version, apiId) -> {
                            if (version != null && apiId != null && !apiId.isBlank()) {
                                usable.put(version, apiId);
                            }
                        });
        if (usable.isEmpty()) {
            return null;
        }
        return new VersionRouter(where, usable);
    }

    private boolean isBase(String version) {
        return version.equals(SELF) || version.equals(name);
    }

    /**
     * Decides a request.
     *
     * @param afterListen the path after the base's listen path (leading slash kept)
     * @param headerLookup reads a request header
     * @param paramLookup reads a query parameter
     * @param loaded whether an API id is loaded on this gateway
     */
    public Decision route(
            String afterListen,
            Function<String, String> headerLookup,
            Function<String, String> paramLookup,
            Predicate<String> loaded) {
        String asked =
                switch (location) {
                    case "url-param" -> paramLookup.apply(key);
                    case "url" -> firstSegment(afterListen);
                    default -> headerLookup.apply(key);
                };
        boolean fromPath = location.equals("url") && asked != null && !asked.isEmpty();
        String target = asked == null || asked.isEmpty() ? defaultName : asked;
        if (isBase(target)) {
            return BASE;
        }
        if (target.isEmpty()) {
            return new Refused(403, "Version information not found");
        }
        String apiId = versions.get(target);
        if (apiId == null || !loaded.test(apiId)) {
            if (!fallbackToDefault) {
                return new Refused(404, "This API version does not seem to exist");
            }
            if (isBase(defaultName)) {
                return BASE;
            }
            apiId = versions.get(defaultName);
            if (apiId == null || !loaded.test(apiId)) {
                return new Refused(500, "Internal Server Error");
            }
        }
        String rest = afterListen;
        if (fromPath && strip && versions.containsKey(asked)) {
            rest = afterListen.substring(afterListen.indexOf(asked) + asked.length());
        }
        return new Child(apiId, rest);
    }

    /** The request path under {@code prefix} with {@code rest} after it, one slash between. */
    public static String join(String prefix, String rest) {
        if (prefix.endsWith("/") && rest.startsWith("/")) {
            return prefix + rest.substring(1);
        }
        return prefix + rest;
    }

    private static String firstSegment(String path) {
        String rest = path.startsWith("/") ? path.substring(1) : path;
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
