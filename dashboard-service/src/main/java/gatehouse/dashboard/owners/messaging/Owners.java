package gatehouse.dashboard.owners.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.http.OwnerCalls;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.dashboard.common.api.DashboardException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The owners of what the Dashboard's {@code /api} shows (ADR 0011): admin-service (APIs, policies),
 * keys-service (keys) and oauth-service (OAuth clients), called over their internal HTTP with the
 * gateway admin secret. They stay the only writers of their facts; the Dashboard never reads their
 * databases.
 */
@ApplicationScoped
public class Owners {

    private static final Logger LOGGER = Logger.getLogger(Owners.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** An owner service. */
    public enum Owner {
        ADMIN("admin-service"),
        KEYS("keys-service"),
        OAUTH("oauth-service");

        private final String service;

        Owner(String service) {
            this.service = service;
        }

        /** The service's name. */
        public String service() {
            return service;
        }
    }

    private final Vertx vertx;
    private final URI admin;
    private final URI keys;
    private final URI oauth;
    private final String secret;
    private volatile HttpClient client;

    Owners(
            Vertx vertx,
            @ConfigProperty(name = "gatehouse.owners.admin.url") String admin,
            @ConfigProperty(name = "gatehouse.owners.keys.url") String keys,
            @ConfigProperty(name = "gatehouse.owners.oauth.url") String oauth,
            @ConfigProperty(name = "gatehouse.admin-secret", defaultValue = "") String secret) {
        this.vertx = vertx;
        this.admin = URI.create(admin);
        this.keys = URI.create(keys);
        this.oauth = URI.create(oauth);
        this.secret = secret;
    }

    /**
     * Calls an owner.
     *
     * @param body a JSON body, or null
     * @param unavailable the endpoint's text (Tyk's) when the owner does not answer: a 503
     * @return the owner's answer, whatever its status
     */
    public Uni<OwnerCalls.Answer> call(
            Owner owner, HttpMethod method, String path, ObjectNode body, String unavailable) {
        URI base =
                switch (owner) {
                    case ADMIN -> admin;
                    case KEYS -> keys;
                    case OAUTH -> oauth;
                };
        return OwnerCalls.send(
                        client(),
                        base,
                        method,
                        path,
                        body == null ? null : TykJson.encode(body),
                        secret,
                        TIMEOUT)
                .onFailure()
                .transform(
                        failure -> {
                            LOGGER.warnf(
                                    "%s %s to %s failed: %s",
                                    method, logged(path), owner, failure.toString());
                            // an outage, not a refusal: 503, Tyk's text first, then why
                            return new DashboardException(
                                    503, unavailable + " (" + owner.service() + " unavailable)");
                        });
    }

    /** The path as logged: a key in a Gateway API path is never written to the log. */
    static String logged(String path) {
        return path.startsWith("/tyk/keys/")
                ? path.replaceFirst("^/tyk/keys/[^?]*", "/tyk/keys/<key>")
                : path;
    }

    /**
     * One of admin-service's documents by either of its ids, within the organisation (null: any),
     * from its internal look-up {@code /gatehouse/<kind>/lookup/{id}}: {@code {"document",
     * "created_at", "updated_at"}}, or null when there is none.
     *
     * @param kind {@code apis} or {@code policies}
     * @param unavailable the endpoint's text when admin-service does not answer or answers nonsense
     */
    public Uni<ObjectNode> lookup(String kind, String orgId, String id, String unavailable) {
        String path =
                "/gatehouse/"
                        + kind
                        + "/lookup/"
                        + param(id)
                        + (orgId == null ? "" : "?org_id=" + param(orgId));
        return call(Owner.ADMIN, HttpMethod.GET, path, null, unavailable)
                .map(
                        answer -> {
                            if (answer.status() == 404) {
                                return null;
                            }
                            ObjectNode found = answer.status() == 200 ? answer.object() : null;
                            if (found == null || !found.path("document").isObject()) {
                                throw new DashboardException(500, unavailable);
                            }
                            return found;
                        });
    }

    /** A query parameter's value, encoded. */
    public static String param(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpClient client() {
        HttpClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient();
                }
                current = client;
            }
        }
        return current;
    }
}
