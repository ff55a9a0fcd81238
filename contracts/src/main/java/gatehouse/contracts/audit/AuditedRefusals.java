package gatehouse.contracts.audit;

import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.http.AdminGuard;
import gatehouse.contracts.http.ChangeOrigins;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Records refused control-API calls in the audit log, without their bodies: every 401 and 403, and
 * other 4xx answers to calls that would have changed something. Reads that find nothing (a 404 on a
 * GET) are not attempts. Only in owners (where the {@link AuditJournal} exists).
 */
public class AuditedRefusals {

    private static final Logger LOGGER = Logger.getLogger(AuditedRefusals.class);

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    // path segments after which ids are secrets (raw keys, tokens) and never recorded
    private static final Set<String> SECRET_PARENTS = Set.of("keys", "tokens", "token", "refresh");

    private final Instance<AuditJournal> journal;
    private final AdminGuard guard;
    private final CurrentVertxRequest current;

    AuditedRefusals(Instance<AuditJournal> journal, AdminGuard guard, CurrentVertxRequest current) {
        this.journal = journal;
        this.guard = guard;
        this.current = current;
    }

    @ServerResponseFilter
    public Uni<Void> recordRefusal(
            ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        String method = request.getMethod();
        String path = request.getUriInfo().getRequestUri().getRawPath();
        if (status < 400
                || status >= 500
                || (status != 401 && status != 403 && READS.contains(method))
                || !(path.startsWith("/tyk/") || path.startsWith("/gatehouse/"))
                || !journal.isResolvable()) {
            return Uni.createFrom().voidItem();
        }
        HttpServerRequest raw = current.getCurrent().request();
        String peer = raw.remoteAddress() == null ? null : raw.remoteAddress().hostAddress();
        boolean admitted = guard.admits(request.getHeaderString(AdminGuard.HEADER));
        String identity = admitted ? ChangeOrigins.identity(raw::getHeader, peer) : null;
        ChangeOrigin origin =
                ChangeOrigins.of(
                        peer,
                        raw.getHeader("X-Forwarded-For"),
                        raw.getHeader("X-Request-Id"),
                        identity,
                        admitted ? "admin-secret" : "anonymous");
        if (!admitted) {
            origin =
                    new ChangeOrigin(
                            origin.actor(),
                            origin.address(),
                            origin.requestId(),
                            request.getHeaderString(AdminGuard.HEADER) == null
                                    ? "none"
                                    : AdminGuard.HEADER + " (wrong secret)");
        }
        return journal.get()
                .refused(method, redacted(path), status, origin)
                .onFailure()
                .recoverWithItem(
                        failure -> {
                            LOGGER.warnf("refused attempt not audited: %s", failure.getMessage());
                            return null;
                        })
                .replaceWithVoid();
    }

    /** The path with any segment after {@code keys}, {@code tokens}... replaced. */
    static String redacted(String path) {
        String[] segments = path.split("/", -1);
        StringBuilder out = new StringBuilder();
        boolean secret = false;
        for (int i = 1; i < segments.length; i++) {
            out.append('/');
            if (secret && !segments[i].isEmpty()) {
                out.append(AuditRedaction.REDACTED);
            } else {
                out.append(
                        segments[i].length() > 200 ? segments[i].substring(0, 200) : segments[i]);
            }
            secret = secret || SECRET_PARENTS.contains(segments[i]);
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
