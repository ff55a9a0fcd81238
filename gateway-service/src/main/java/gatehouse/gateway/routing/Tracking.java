package gatehouse.gateway.routing;

import gatehouse.contracts.tyk.ApiDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an API's definition says about its analytics records, compiled once with the route: Tyk's
 * {@code do_not_track} and {@code tag_headers}, and each version's {@code extended_paths} {@code
 * track_endpoints} (the record carries the entry's pattern as its path) and {@code
 * do_not_track_endpoints} (no record). The entries match through {@link PathRule}, as every other
 * {@code extended_paths} entry does, and only where {@code use_extended_paths} is on, as in Tyk.
 */
public final class Tracking {

    /** A {@code track_endpoints} entry: its rule and the pattern the record names as its path. */
    record Endpoint(PathRule rule, String path) {}

    private record Rules(List<Endpoint> tracked, List<PathRule> untracked) {
        static final Rules NONE = new Rules(List.of(), List.of());

        boolean isEmpty() {
            return tracked.isEmpty() && untracked.isEmpty();
        }
    }

    private final String apiName;
    private final String orgId;
    private final boolean doNotTrack;
    private final String[] tagHeaders;
    private final Map<String, Rules> byVersion;
    private final Rules unnamed;
    private final boolean anyRules;

    private Tracking(
            String apiName,
            String orgId,
            boolean doNotTrack,
            String[] tagHeaders,
            Map<String, Rules> byVersion,
            Rules unnamed) {
        this.apiName = apiName;
        this.orgId = orgId;
        this.doNotTrack = doNotTrack;
        this.tagHeaders = tagHeaders;
        this.byVersion = byVersion;
        this.unnamed = unnamed;
        this.anyRules =
                !unnamed.isEmpty() || byVersion.values().stream().anyMatch(r -> !r.isEmpty());
    }

    /**
     * Reads the analytics options of a definition.
     *
     * @throws IllegalArgumentException when an endpoint pattern cannot be compiled
     */
    public static Tracking of(ApiDefinition definition, Versioning.Matching matching) {
        List<String> headers = new ArrayList<>();
        if (definition.tagHeaders() != null) {
            for (String header : definition.tagHeaders()) {
                String name = header == null ? "" : header.trim();
                if (!name.isEmpty()) {
                    // Tyk compares the lower-cased request header with the configured name
                    headers.add(name.toLowerCase(Locale.ROOT));
                }
            }
        }
        ApiDefinition.VersionData data = definition.versionData();
        Map<String, Rules> byVersion = new HashMap<>();
        if (data != null && data.versions() != null) {
            data.versions()
                    .values()
                    .forEach(
                            info -> {
                                if (info != null) {
                                    byVersion.put(text(info.name()), rules(info, matching));
                                }
                            });
        }
        // a request of an API that is not versioned is served by the default version, or the only
        // one
        Rules unnamed = Rules.NONE;
        if (data != null && data.notVersioned()) {
            String defaultVersion = text(data.defaultVersion());
            String served =
                    defaultVersion.isEmpty() && byVersion.size() == 1
                            ? byVersion.keySet().iterator().next()
                            : defaultVersion;
            unnamed = byVersion.getOrDefault(served, Rules.NONE);
        }
        return new Tracking(
                text(definition.name()),
                text(definition.orgId()),
                definition.doNotTrack(),
                headers.toArray(new String[0]),
                Map.copyOf(byVersion),
                unnamed);
    }

    private static Rules rules(ApiDefinition.VersionInfo info, Versioning.Matching matching) {
        ApiDefinition.ExtendedPaths extended = info.extendedPaths();
        if (!info.useExtendedPaths() || extended == null) {
            return Rules.NONE;
        }
        List<Endpoint> tracked = new ArrayList<>();
        if (extended.trackEndpoints() != null) {
            for (ApiDefinition.EndpointMeta entry : extended.trackEndpoints()) {
                tracked.add(new Endpoint(PathRule.of(entry, matching), text(entry.path())));
            }
        }
        List<PathRule> untracked = new ArrayList<>();
        if (extended.doNotTrackEndpoints() != null) {
            for (ApiDefinition.EndpointMeta entry : extended.doNotTrackEndpoints()) {
                untracked.add(PathRule.of(entry, matching));
            }
        }
        return tracked.isEmpty() && untracked.isEmpty()
                ? Rules.NONE
                : new Rules(List.copyOf(tracked), List.copyOf(untracked));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    public String apiName() {
        return apiName;
    }

    public String orgId() {
        return orgId;
    }

    /** {@code do_not_track}: the API's requests give no record. */
    public boolean doNotTrack() {
        return doNotTrack;
    }

    /** {@code tag_headers}, lower case; the record's tags name them as {@code name-value}. */
    public String[] tagHeaders() {
        return tagHeaders;
    }

    /** True when some version has tracked or untracked endpoints: only then is a path matched. */
    public boolean hasEndpointRules() {
        return anyRules;
    }

    /**
     * True when the request matches a {@code do_not_track_endpoints} entry of the version served.
     *
     * @param version the version served, or null when the API is not versioned
     */
    public boolean untracked(String version, String method, String afterListen, String fullPath) {
        for (PathRule rule : rules(version).untracked()) {
            if (rule.matches(method, afterListen, fullPath)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The {@code track_endpoints} pattern the request matches in the version served, or null.
     *
     * @param version the version served, or null when the API is not versioned
     */
    public String trackedPath(String version, String method, String afterListen, String fullPath) {
        for (Endpoint endpoint : rules(version).tracked()) {
            if (endpoint.rule().matches(method, afterListen, fullPath)) {
                return endpoint.path();
            }
        }
        return null;
    }

    private Rules rules(String version) {
        if (!anyRules) {
            return Rules.NONE;
        }
        return version == null ? unnamed : byVersion.getOrDefault(version, Rules.NONE);
    }
}
