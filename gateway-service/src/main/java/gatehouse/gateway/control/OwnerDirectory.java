package gatehouse.gateway.control;

import gatehouse.gateway.routing.Upstream;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The owner services and whether each answered its last readiness probe. Readiness of this node
 * does not depend on them (a Kubernetes probe must not pull a gateway that serves every API and key
 * because the control plane is down); a down owner is reported in {@code /tyk/cluster} and {@code
 * /hello}'s details.
 */
@ApplicationScoped
public class OwnerDirectory {

    private static final Logger LOGGER = Logger.getLogger(OwnerDirectory.class);
    private static final long PROBE_MILLIS = 2000;

    /** An owner's last probe. */
    public record Reachability(String name, boolean up, Instant since) {}

    private final List<OwnerService> owners;
    private final Map<String, Reachability> reachability = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private HttpClient client;
    private long timer = -1;

    OwnerDirectory(
            Vertx vertx,
            @ConfigProperty(name = "gatehouse.owners.admin.url") String admin,
            @ConfigProperty(name = "gatehouse.owners.keys.url") String keys,
            @ConfigProperty(name = "gatehouse.owners.oauth.url") String oauth) {
        this.vertx = vertx;
        this.owners =
                List.of(
                        new OwnerService(
                                "admin-service",
                                Upstream.of(admin),
                                "/tyk/apis",
                                "/tyk/policies",
                                "/tyk/certs",
                                "/tyk/audit"),
                        new OwnerService(
                                "keys-service", Upstream.of(keys), "/tyk/keys", "/tyk/org/keys"),
                        new OwnerService("oauth-service", Upstream.of(oauth), "/tyk/oauth"));
    }

    void start(@Observes StartupEvent event) {
        client = vertx.createHttpClient();
        timer = vertx.setPeriodic(0, PROBE_MILLIS, id -> probe());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    private void probe() {
        for (OwnerService owner : owners) {
            client.request(
                            new RequestOptions()
                                    .setMethod(HttpMethod.GET)
                                    .setHost(owner.upstream().host())
                                    .setPort(owner.upstream().port())
                                    .setSsl(owner.upstream().ssl())
                                    .setURI("/q/health/ready")
                                    .setTimeout(PROBE_MILLIS - 500))
                    .compose(request -> request.send())
                    .onComplete(
                            answer -> {
                                boolean up =
                                        answer.succeeded() && answer.result().statusCode() == 200;
                                if (answer.succeeded()) {
                                    answer.result().body();
                                }
                                Reachability before = reachability.get(owner.name());
                                if (before == null || before.up() != up) {
                                    reachability.put(
                                            owner.name(),
                                            new Reachability(owner.name(), up, Instant.now()));
                                    if (up) {
                                        LOGGER.infof(
                                                "%s is ready at %s:%d",
                                                owner.name(),
                                                owner.upstream().host(),
                                                owner.upstream().port());
                                    } else if (before != null) {
                                        LOGGER.warnf(
                                                "%s is unreachable at %s:%d; its control paths answer 503, traffic is served",
                                                owner.name(),
                                                owner.upstream().host(),
                                                owner.upstream().port());
                                    }
                                }
                            });
        }
    }

    /** The owner of a control path, or null when the gateway answers it itself. */
    public OwnerService ownerOf(String path) {
        for (OwnerService owner : owners) {
            if (owner.owns(path)) {
                return owner;
            }
        }
        return null;
    }

    /** Every owner's last probe, in a fixed order; an owner not probed yet is reported down. */
    public List<Reachability> reachability() {
        return owners.stream()
                .map(
                        owner ->
                                reachability.getOrDefault(
                                        owner.name(), new Reachability(owner.name(), false, null)))
                .toList();
    }
}
