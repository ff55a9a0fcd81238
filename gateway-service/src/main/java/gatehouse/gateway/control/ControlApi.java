package gatehouse.gateway.control;

import gatehouse.contracts.http.AdminGuard;
import gatehouse.contracts.http.RequestPaths;
import gatehouse.contracts.tyk.StatusMessage;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.contracts.tyk.TykMessages;
import gatehouse.gateway.proxy.Forwarder;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Tyk's control API on the gateway URL ({@code /tyk/...}). A path that is not canonical is refused
 * here (ADR 0007), never forwarded; paths another service owns are forwarded there unchanged (that
 * service checks the secret itself, and the path again, as behind an ingress); the rest is checked
 * and answered here. Registered before any API route, so {@code /tyk/} always wins over an API
 * listening on {@code /}, as on Tyk.
 */
public final class ControlApi {

    private final OwnerDirectory owners;
    private final Forwarder forwarder;
    private final AdminGuard guard;
    private final Map<String, Handler<RoutingContext>> local;

    /**
     * @param local the endpoints this node answers itself, by path (GET only, as on Tyk)
     */
    public ControlApi(
            OwnerDirectory owners,
            Forwarder forwarder,
            AdminGuard guard,
            Map<String, Handler<RoutingContext>> local) {
        this.owners = owners;
        this.forwarder = forwarder;
        this.guard = guard;
        this.local = Map.copyOf(local);
    }

    /**
     * Answers a control request.
     *
     * @param rawPath the path as sent: control paths are served only when already canonical
     */
    public void handle(RoutingContext context, String rawPath) {
        var request = context.request();
        String refusal = RequestPaths.controlPathRefusal(rawPath);
        if (refusal != null) {
            // never reinterpreted nor forwarded; without the secret it is a 403 like every /tyk/
            // path
            refusePath(context, refusal);
            return;
        }
        String path = stripTrailingSlashes(rawPath);
        OwnerService owner = owners.ownerOf(path);
        if (owner != null) {
            // the owner checks the secret itself: the same answers as behind an ingress
            forwarder.forward(
                    request,
                    owner.upstream(),
                    request.uri(),
                    (response, failure, cause) -> ownerUnavailable(response, owner, failure));
            return;
        }
        if (!guard.admits(request.getHeader(AdminGuard.HEADER))) {
            json(context.response(), 403, StatusMessage.error(TykMessages.ADMIN_ACCESS_DENIED));
            return;
        }
        Handler<RoutingContext> endpoint = local.get(path);
        if (endpoint != null) {
            if (request.method() != io.vertx.core.http.HttpMethod.GET) {
                json(
                        context.response(),
                        405,
                        StatusMessage.error(TykMessages.METHOD_NOT_SUPPORTED));
            } else {
                endpoint.handle(context);
            }
            return;
        }
        context.response()
                .setStatusCode(404)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(TykMessages.CONTROL_PATH_NOT_FOUND);
    }

    /**
     * A control path that is not canonical: 403 without the secret, else a 400 in Tyk's envelope.
     */
    public void refusePath(RoutingContext context, String refusal) {
        if (!guard.admits(context.request().getHeader(AdminGuard.HEADER))) {
            json(context.response(), 403, StatusMessage.error(TykMessages.ADMIN_ACCESS_DENIED));
            return;
        }
        json(context.response(), 400, StatusMessage.error(refusal));
    }

    /** A dependency outage is a 503 with a clear message, never an auth error. */
    private static void ownerUnavailable(
            HttpServerResponse response, OwnerService owner, Forwarder.Failure failure) {
        String why =
                failure == Forwarder.Failure.TIMEOUT
                        ? " did not answer in time; the outcome is unknown, check before retrying"
                        : " is unreachable; the request was not delivered, retry later";
        json(response, 503, StatusMessage.error(owner.name() + why));
    }

    static void json(HttpServerResponse response, int status, Object body) {
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(TykJson.encode(body));
    }

    static String stripTrailingSlashes(String path) {
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }
}
