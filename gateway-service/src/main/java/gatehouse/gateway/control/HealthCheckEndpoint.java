package gatehouse.gateway.control;

import gatehouse.contracts.tyk.StatusMessage;
import gatehouse.gateway.health.ApiHealthStats;
import gatehouse.gateway.state.RoutingTableHolder;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /tyk/health?api_id=...}: one API's figures on this node, with Tyk's errors (COMPAT
 * §8).
 */
public final class HealthCheckEndpoint {

    private final ApiHealthStats stats;
    private final RoutingTableHolder tables;

    public HealthCheckEndpoint(ApiHealthStats stats, RoutingTableHolder tables) {
        this.stats = stats;
        this.tables = tables;
    }

    public void handle(RoutingContext context) {
        if (!stats.enabled()) {
            ControlApi.json(
                    context.response(),
                    400,
                    StatusMessage.error("Health checks are not enabled for this node"));
            return;
        }
        String apiId = context.request().getParam("api_id");
        if (apiId == null || apiId.isEmpty()) {
            ControlApi.json(
                    context.response(), 400, StatusMessage.error("missing api_id parameter"));
        } else if (tables.current().api(apiId) == null) {
            ControlApi.json(context.response(), 404, StatusMessage.error("API ID not found"));
        } else {
            ControlApi.json(context.response(), 200, stats.values(apiId));
        }
    }
}
