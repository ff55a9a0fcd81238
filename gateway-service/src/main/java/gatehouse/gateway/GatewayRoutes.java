package gatehouse.gateway;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;

import gatehouse.contracts.http.AdminGuard;
import gatehouse.gateway.cluster.ClusterPublisher;
import gatehouse.gateway.cluster.GroupReload;
import gatehouse.gateway.control.ReloadEndpoints;
import gatehouse.gateway.state.ClusterView;
import gatehouse.gateway.state.NodeIdentity;
import gatehouse.gateway.control.ControlApi;
import gatehouse.gateway.control.HealthCheckEndpoint;
import gatehouse.gateway.health.ApiHealthStats;
import gatehouse.gateway.control.HealthEndpoints;
import gatehouse.gateway.control.OwnerDirectory;
import gatehouse.gateway.proxy.ApiProxy;
import gatehouse.gateway.proxy.Forwarder;
import gatehouse.gateway.state.RoutingTableHolder;
import gatehouse.gateway.state.StateReplicator;
import io.quarkus.runtime.ShutdownEvent;
import gatehouse.gateway.keys.KeyedAccess;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The gateway's HTTP surface on the main port, in Tyk's order: {@code /hello}, {@code /ready}, the
 * control API under {@code /tyk/}, then every API.
 */
@ApplicationScoped
public class GatewayRoutes {

    private Forwarder forwarder;

    void register(@Observes Router router, Vertx vertx, RoutingTableHolder tables, StateReplicator replicator,
                  OwnerDirectory owners, AdminGuard guard, ClusterPublisher publisher, ClusterView cluster,
                  NodeIdentity node, ApiHealthStats apiHealth, KeyedAccess keyedAccess,
                  @ConfigProperty(name = "gatehouse.reload.timeout", defaultValue = "10s") Duration reloadTimeout,
                  @ConfigProperty(name = "gatehouse.proxy.connect-timeout") Duration connectTimeout,
                  @ConfigProperty(name = "gatehouse.proxy.upstream-timeout") Duration upstreamTimeout,
                  @ConfigProperty(name = "gatehouse.tyk-version") String version,
                  @ConfigProperty(name = "gatehouse.owners.oauth.url") String oauthUrl,
                  @ConfigProperty(name = "gatehouse.http.trust-forwarded-headers", defaultValue = "true")
                  boolean trustForwardedHeaders) {
        forwarder = new Forwarder(vertx, connectTimeout, upstreamTimeout);
        var health = new HealthEndpoints(replicator, owners, version);
        var reloads = new ReloadEndpoints(replicator, new GroupReload(publisher, cluster, vertx, node.id()), cluster,
                reloadTimeout);
        var control = new ControlApi(owners, forwarder, guard, Map.of(
                "/tyk/reload", reloads::reload,
                "/tyk/reload/group", reloads::groupReload,
                "/tyk/cluster", reloads::clusterStatus,
                "/tyk/health", new HealthCheckEndpoint(apiHealth, tables)::handle));
        router.route("/hello").handler(health::hello);
        router.route("/ready").handler(health::ready);
        router.route("/tyk").handler(control);
        router.route("/tyk/*").handler(control);
        router.route().handler(new ApiProxy(tables, forwarder, cluster::liveCount, apiHealth,
                trustForwardedHeaders, keyedAccess, gatehouse.gateway.routing.Upstream.of(oauthUrl)));
    }

    void close(@Observes ShutdownEvent event) {
        if (forwarder != null) {
            forwarder.close();
        }
    }
}
