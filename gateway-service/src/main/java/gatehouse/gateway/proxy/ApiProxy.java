package gatehouse.gateway.proxy;

import gatehouse.contracts.tyk.TykMessages;
import gatehouse.gateway.routing.RoutingTable;
import gatehouse.gateway.state.RoutingTableHolder;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The data plane's request path: match the routing table in force, then forward. In-memory and
 * non-blocking; the table is read once per request, so a swap mid-request cannot mix two tables.
 */
public final class ApiProxy implements Handler<RoutingContext> {

    private final RoutingTableHolder tables;
    private final Forwarder forwarder;

    public ApiProxy(RoutingTableHolder tables, Forwarder forwarder) {
        this.tables = tables;
        this.forwarder = forwarder;
    }

    @Override
    public void handle(RoutingContext context) {
        var request = context.request();
        String path = request.path();
        RoutingTable.Match match = tables.current().match(path);
        if (match == null) {
            context.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end(TykMessages.DATA_PATH_NOT_FOUND);
            return;
        }
        var route = match.route();
        if (!route.keyless()) {
            // keys are not replicated to the gateway yet: no token can be valid here
            String token = request.getHeader("Authorization");
            if (token == null || token.isEmpty()) {
                ProxiedErrors.send(context.response(), 401, "Authorization field missing");
            } else {
                ProxiedErrors.send(context.response(), 403, "Access to this API has been disallowed");
            }
            return;
        }
        String query = request.query();
        String uri = route.upstreamPath(match.prefix(), path);
        forwarder.forward(request, route.upstream(), query == null ? uri : uri + "?" + query,
                ProxiedErrors::upstreamFailed);
    }
}
