package gatehouse.gateway.control;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import gatehouse.gateway.routing.Upstream;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The owner services and whether each has been seen ready since this node started. A node becomes
 * ready once every owner has answered once; after that an owner outage no longer affects readiness,
 * since the data plane keeps serving its last known state (DESIGN.md §4).
 */
@ApplicationScoped
public class OwnerDirectory {

    private static final Logger LOGGER = Logger.getLogger(OwnerDirectory.class);

    private final List<OwnerService> owners;
    private final Set<String> seenReady = ConcurrentHashMap.newKeySet();
    private final Vertx vertx;
    private HttpClient client;
    private long timer = -1;

    OwnerDirectory(Vertx vertx,
                   @ConfigProperty(name = "gatehouse.owners.admin.url") String admin,
                   @ConfigProperty(name = "gatehouse.owners.keys.url") String keys,
                   @ConfigProperty(name = "gatehouse.owners.oauth.url") String oauth) {
        this.vertx = vertx;
        this.owners = List.of(
                new OwnerService("admin-service", Upstream.of(admin), "/tyk/apis", "/tyk/policies"),
                new OwnerService("keys-service", Upstream.of(keys), "/tyk/keys", "/tyk/org/keys"),
                new OwnerService("oauth-service", Upstream.of(oauth), "/tyk/oauth"));
    }

    void start(@Observes StartupEvent event) {
        client = vertx.createHttpClient();
        timer = vertx.setPeriodic(0, 500, id -> probe());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    private void probe() {
        for (OwnerService owner : owners) {
            if (seenReady.contains(owner.name())) {
                continue;
            }
            client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(owner.upstream().host())
                            .setPort(owner.upstream().port()).setSsl(owner.upstream().ssl()).setURI("/q/health/ready")
                            .setTimeout(2000))
                    .compose(request -> request.send())
                    .onSuccess(response -> {
                        response.body();
                        if (response.statusCode() == 200 && seenReady.add(owner.name())) {
                            LOGGER.infof("%s is ready at %s:%d", owner.name(), owner.upstream().host(), owner.upstream().port());
                            if (allSeenReady()) {
                                vertx.cancelTimer(timer);
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

    public boolean allSeenReady() {
        return seenReady.size() == owners.size();
    }

    /** Owners not seen ready yet, for the readiness message. */
    public List<String> notYetReady() {
        return owners.stream().map(OwnerService::name).filter(name -> !seenReady.contains(name)).toList();
    }
}
