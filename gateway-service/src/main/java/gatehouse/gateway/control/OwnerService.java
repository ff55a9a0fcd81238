package gatehouse.gateway.control;

import gatehouse.gateway.routing.Upstream;

/**
 * A service that owns part of the control API, and the path prefixes it owns (DESIGN.md §4).
 *
 * @param name for messages, e.g. {@code admin-service}
 * @param upstream its base URL
 * @param prefixes the {@code /tyk/...} prefixes it serves
 */
public record OwnerService(String name, Upstream upstream, String... prefixes) {

    /** True when the control path belongs to this owner: a prefix itself or anything below it. */
    public boolean owns(String path) {
        for (String prefix : prefixes) {
            if (path.equals(prefix)
                    || path.startsWith(prefix) && path.charAt(prefix.length()) == '/') {
                return true;
            }
        }
        return false;
    }
}
