package gatehouse.gateway;

import gatehouse.contracts.http.RequestPaths;
import gatehouse.gateway.control.ControlApi;
import gatehouse.gateway.control.HealthEndpoints;
import gatehouse.gateway.proxy.ApiProxy;
import gatehouse.gateway.proxy.ProxiedErrors;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The main port's one entry: refuses what cannot be framed or read one way only, reads the path
 * once into its canonical form (ADR 0007), then dispatches in Tyk's order: {@code /hello}, {@code
 * /ready}, the control API under {@code /tyk/}, then every API. Routing, path rules and forwarding
 * all see the same canonical path.
 */
final class FrontDoor implements Handler<RoutingContext> {

    private final HealthEndpoints health;
    private final ControlApi control;
    private final ApiProxy proxy;

    FrontDoor(HealthEndpoints health, ControlApi control, ApiProxy proxy) {
        this.health = health;
        this.control = control;
        this.proxy = proxy;
    }

    @Override
    public void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        String framing = RequestFraming.refusal(request);
        if (framing != null) {
            refuse(context, "Malformed request: " + framing);
            return;
        }
        String raw = request.path();
        String path;
        try {
            path = RequestPaths.canonical(raw);
        } catch (RequestPaths.RefusedPathException e) {
            if (isControl(raw)) {
                control.refusePath(
                        context, "Control API paths must be canonical: " + e.getMessage());
            } else {
                ProxiedErrors.send(
                        context.response(), 400, "Malformed request path: " + e.getMessage());
            }
            return;
        }
        if (path.equals("/hello")) {
            health.hello(context);
        } else if (path.equals("/ready")) {
            health.ready(context);
        } else if (isControl(path)) {
            control.handle(context, raw);
        } else {
            proxy.handle(context, path);
        }
    }

    private static boolean isControl(String path) {
        return path.equals("/tyk") || path.startsWith("/tyk/");
    }

    /** A request Vert.x refused before routing. */
    static void malformed(RoutingContext context) {
        String framing = RequestFraming.refusal(context.request());
        refuse(context, "Malformed request" + (framing == null ? "" : ": " + framing));
    }

    /**
     * An ambiguous request: answered and the connection closed, so no byte after it is read as a
     * request.
     */
    private static void refuse(RoutingContext context, String message) {
        var response = context.response().putHeader("Connection", "close");
        ProxiedErrors.send(response, 400, message);
        context.request().connection().close();
    }
}
