package gatehouse.contracts.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.http.OwnerCalls;
import gatehouse.contracts.http.TykException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads an API definition or a policy from admin-service, their owner, when a catalog has not heard
 * of it yet (ADR 0008): admin-service answers a write once it is committed, before its event is on
 * the bus, so a script that creates an API and at once an OAuth client or a key for it must not
 * depend on how fast the event travels. Only for write-time reference checks, never on a proxied
 * request's path; bounded by {@code gatehouse.catalog.read-through-timeout}; an owner that cannot
 * answer is a 503.
 */
@ApplicationScoped
@io.quarkus.arc.properties.IfBuildProperty(
        name = "gatehouse.policy-catalog.enabled",
        stringValue = "true")
public class AdminReadThrough {

    private static final Logger LOGGER = Logger.getLogger(AdminReadThrough.class);

    private final Vertx vertx;
    private final URI admin;
    private final String adminSecret;
    private final Duration timeout;
    private volatile HttpClient client;

    AdminReadThrough(
            Vertx vertx,
            @ConfigProperty(name = "gatehouse.catalog.admin-url") String adminUrl,
            @ConfigProperty(name = "gatehouse.admin-secret") String adminSecret,
            @ConfigProperty(name = "gatehouse.catalog.read-through-timeout", defaultValue = "3s")
                    Duration timeout) {
        this.vertx = vertx;
        this.admin = URI.create(adminUrl);
        this.adminSecret = adminSecret;
        this.timeout = timeout;
    }

    /** The API definition as admin-service holds it now, or null when it has none. */
    public Uni<ObjectNode> api(String apiId) {
        return fetch("/tyk/apis/", apiId);
    }

    /** The policy as admin-service holds it now, or null when it has none. */
    public Uni<ObjectNode> policy(String policyId) {
        return fetch("/tyk/policies/", policyId);
    }

    /**
     * The meta of a certificate in admin-service's store ({@code GET /tyk/certs/{id}}), or null
     * when it has none.
     */
    public Uni<ObjectNode> certificate(String certificateId) {
        return fetch("/tyk/certs/", certificateId);
    }

    private Uni<ObjectNode> fetch(String collection, String id) {
        if (id == null || id.isEmpty() || !isPlainSegment(id)) {
            return Uni.createFrom().nullItem();
        }
        if (client == null) {
            client = vertx.createHttpClient();
        }
        return OwnerCalls.getObject(
                        client, admin, "admin-service", collection + id, adminSecret, timeout)
                .onFailure(failure -> !(failure instanceof TykException))
                .transform(
                        failure -> {
                            LOGGER.warnf(
                                    "admin-service could not be asked for %s%s: %s",
                                    collection, id, failure.getMessage());
                            return new TykException(
                                    503,
                                    "admin-service is unavailable to check the reference; nothing was "
                                            + "changed, retry later");
                        });
    }

    // ids go into a path: anything that is not one plain segment cannot name a stored document
    private static boolean isPlainSegment(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '/' || c == '\\' || c == '%' || c == '?' || c == '#'
                    || c == ';') {
                return false;
            }
        }
        return !id.equals(".") && !id.equals("..") && id.length() <= 255;
    }
}
