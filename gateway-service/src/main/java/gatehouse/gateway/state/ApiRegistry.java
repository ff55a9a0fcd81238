package gatehouse.gateway.state;

import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.MalformedEventException;
import gatehouse.contracts.tyk.ApiDefinition;
import gatehouse.gateway.routing.ApiRoute;
import gatehouse.gateway.routing.RoutingTable;
import java.util.HashMap;
import java.util.Map;

/**
 * The APIs this node knows, built from {@code gatehouse.apis}. Confined to the replicator's thread;
 * readers see only the immutable {@link RoutingTable} it produces. An event whose version is not
 * newer than the one held is ignored, so replays and duplicates are harmless, and a deleted API is
 * not brought back by an older event arriving late.
 */
public final class ApiRegistry {

    private final Map<String, ApiRoute> routes = new HashMap<>();
    private final Map<String, Long> versions = new HashMap<>();
    private final RoutingTable.Options options;

    public ApiRegistry(RoutingTable.Options options) {
        this.options = options;
    }

    /**
     * Applies one event.
     *
     * @return true when the routes changed
     * @throws MalformedEventException when the event cannot be applied; nothing is changed then
     */
    public boolean apply(EventEnvelope event) {
        long held = versions.getOrDefault(event.subject(), 0L);
        if (event.version() <= held) {
            return false;
        }
        if (event.isTombstone() || EventTypes.API_DELETED.equals(event.type())) {
            versions.put(event.subject(), event.version());
            return routes.remove(event.subject()) != null;
        }
        if (!EventTypes.API_UPSERTED.equals(event.type())) {
            throw new MalformedEventException(
                    "unknown event type " + event.type() + " on the apis topic");
        }
        ApiRoute route;
        try {
            ApiDefinition definition = ApiDefinition.parse(event.data());
            if (!event.subject().equals(definition.apiId())) {
                throw new MalformedEventException(
                        "event subject "
                                + event.subject()
                                + " differs from api_id "
                                + definition.apiId());
            }
            route = ApiRoute.of(definition, event.version(), options.pathMatching());
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException(
                    "unusable API definition " + event.subject() + ": " + e.getMessage());
        }
        versions.put(event.subject(), event.version());
        routes.put(event.subject(), route);
        return true;
    }

    /** A snapshot of the current routes. */
    public RoutingTable table() {
        return RoutingTable.of(routes.values(), options);
    }
}
