package gatehouse.gateway.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A session with its policies applied, read once into what the request path checks (COMPAT §3, §7),
 * so no request walks JSON.
 *
 * @param inactive {@code is_inactive}
 * @param expires {@code expires} (unix seconds; below 1 never)
 * @param lastUpdated {@code last_updated}: part of the rate-limit bucket, so an update starts a new
 *     window
 * @param rights {@code access_rights} by API id; empty for a master key
 * @param limit the session-level limit
 * @param certificate {@code certificate}: the id of the client certificate the key is bound to, ""
 *     when none
 */
public record KeySession(
        boolean inactive,
        long expires,
        String lastUpdated,
        Map<String, ApiAccess> rights,
        Limit limit,
        String certificate) {

    /**
     * Rate and quota.
     *
     * @param rate requests per {@code per} seconds; {@code <= 0} unlimited
     * @param per seconds
     * @param quotaMax requests per period; {@code <= 0} unlimited
     * @param quotaRenewalRate the period in seconds; {@code <= 0} never renews
     */
    public record Limit(double rate, double per, long quotaMax, long quotaRenewalRate) {

        static final Limit NONE = new Limit(0, 0, 0, 0);

        boolean isEmpty() {
            return rate == 0 && per == 0 && quotaMax == 0 && quotaRenewalRate == 0;
        }

        public boolean rateLimited() {
            return rate > 0 && per > 0;
        }

        public boolean quotaLimited() {
            return quotaMax > 0;
        }
    }

    /**
     * One {@code allowed_urls} entry: a regular expression (found anywhere in the path) and its
     * methods.
     */
    public record AllowedUrl(Pattern url, Set<String> methods) {}

    /**
     * One access right.
     *
     * @param versions the versions allowed
     * @param allowedUrls when non-empty, only these paths
     * @param limit the per-API limit, or null to use the session's
     * @param scope the quota and rate counter scope ({@code allowance_scope}, {@code ""} for the
     *     key's)
     */
    public record ApiAccess(
            Set<String> versions, List<AllowedUrl> allowedUrls, Limit limit, String scope) {}

    /** Reads an applied session document. */
    public static KeySession of(ObjectNode session) {
        Map<String, ApiAccess> rights = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = session.path("access_rights").fields();
                it.hasNext(); ) {
            var entry = it.next();
            JsonNode access = entry.getValue();
            Set<String> versions = new HashSet<>();
            access.path("versions").forEach(v -> versions.add(v.asText()));
            List<AllowedUrl> urls = new ArrayList<>();
            for (JsonNode url : access.path("allowed_urls")) {
                Set<String> methods = new HashSet<>();
                url.path("methods").forEach(m -> methods.add(m.asText().toUpperCase()));
                try {
                    urls.add(new AllowedUrl(Pattern.compile(url.path("url").asText("")), methods));
                } catch (PatternSyntaxException e) {
                    // Tyk skips an entry whose expression does not compile
                }
            }
            Limit limit = limit(access.path("limit"));
            rights.put(
                    entry.getKey(),
                    new ApiAccess(
                            Set.copyOf(versions),
                            List.copyOf(urls),
                            limit.isEmpty() ? null : limit,
                            access.path("allowance_scope").asText("")));
        }
        return new KeySession(
                session.path("is_inactive").asBoolean(false),
                session.path("expires").asLong(0),
                session.path("last_updated").asText(""),
                Map.copyOf(rights),
                limit(session),
                session.path("certificate").asText(""));
    }

    private static Limit limit(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Limit.NONE;
        }
        return new Limit(
                node.path("rate").asDouble(0),
                node.path("per").asDouble(0),
                node.path("quota_max").asLong(0),
                node.path("quota_renewal_rate").asLong(0));
    }

    /** True when {@code expires} is set and past. */
    public boolean expired(long nowSeconds) {
        return expires >= 1 && expires < nowSeconds;
    }
}
