package gatehouse.gateway.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import gatehouse.contracts.tyk.ApiDefinition;
import gatehouse.contracts.tyk.TykJson;
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

    /** Nothing configured: every request recorded, no endpoint tracked, no tag header. */
    public static final Tracking NONE =
            new Tracking("", "", false, new String[0], Map.of(), Rules.NONE);

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

    /** Names only: for a route built from the routing view alone. */
    public static Tracking of(ApiDefinition definition) {
        return new Tracking(
                text(definition.name()),
                text(definition.orgId()),
                false,
                new String[0],
                Map.of(),
                Rules.NONE);
    }

    /**
     * Reads the analytics options of a definition document.
     *
     * @throws IllegalArgumentException when an endpoint pattern cannot be compiled
     */
    public static Tracking of(JsonNode document, Versioning.Matching matching) {
        List<String> headers = new ArrayList<>();
        for (JsonNode header : document.path("tag_headers")) {
            String name = header.asText("").trim();
            if (!name.isEmpty()) {
                // Tyk compares the lower-cased request header with the configured name
                headers.add(name.toLowerCase(Locale.ROOT));
            }
        }
        JsonNode data = document.path("version_data");
        Map<String, Rules> byVersion = new HashMap<>();
        data.path("versions")
                .fields()
                .forEachRemaining(
                        entry -> {
                            JsonNode info = entry.getValue();
                            if (info.isObject()) {
                                byVersion.put(info.path("name").asText(""), rules(info, matching));
                            }
                        });
        // a request of an API that is not versioned is served by the default version, or the only
        // one
        String defaultVersion = data.path("default_version").asText("");
        Rules unnamed = Rules.NONE;
        if (data.path("not_versioned").asBoolean(false)) {
            String served =
                    defaultVersion.isEmpty() && byVersion.size() == 1
                            ? byVersion.keySet().iterator().next()
                            : defaultVersion;
            unnamed = byVersion.getOrDefault(served, Rules.NONE);
        }
        return new Tracking(
                document.path("name").asText(""),
                document.path("org_id").asText(""),
                document.path("do_not_track").asBoolean(false),
                headers.toArray(new String[0]),
                Map.copyOf(byVersion),
                unnamed);
    }

    private static Rules rules(JsonNode info, Versioning.Matching matching) {
        JsonNode extended = info.path("extended_paths");
        if (!info.path("use_extended_paths").asBoolean(false) || !extended.isObject()) {
            return Rules.NONE;
        }
        List<Endpoint> tracked = new ArrayList<>();
        for (ApiDefinition.EndpointMeta entry : entries(extended.path("track_endpoints"))) {
            tracked.add(new Endpoint(PathRule.of(entry, matching), text(entry.path())));
        }
        List<PathRule> untracked = new ArrayList<>();
        for (ApiDefinition.EndpointMeta entry : entries(extended.path("do_not_track_endpoints"))) {
            untracked.add(PathRule.of(entry, matching));
        }
        return tracked.isEmpty() && untracked.isEmpty()
                ? Rules.NONE
                : new Rules(List.copyOf(tracked), List.copyOf(untracked));
    }

    private static List<ApiDefinition.EndpointMeta> entries(JsonNode array) {
        List<ApiDefinition.EndpointMeta> entries = new ArrayList<>();
        for (JsonNode node : array) {
            try {
                entries.add(TykJson.MAPPER.treeToValue(node, ApiDefinition.EndpointMeta.class));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        "unusable analytics endpoint entry: " + e.getOriginalMessage(), e);
            }
        }
        return entries;
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
