package gatehouse.gateway;

import gatehouse.contracts.http.AdminGuard;
import gatehouse.gateway.analytics.AnalyticsRecorder;
import gatehouse.gateway.cluster.ClusterPublisher;
import gatehouse.gateway.cluster.GroupReload;
import gatehouse.gateway.control.ControlApi;
import gatehouse.gateway.control.HealthCheckEndpoint;
import gatehouse.gateway.control.HealthEndpoints;
import gatehouse.gateway.control.OwnerDirectory;
import gatehouse.gateway.control.ReloadEndpoints;
import gatehouse.gateway.health.ApiHealthStats;
import gatehouse.gateway.keys.KeyedAccess;
import gatehouse.gateway.proxy.ApiProxy;
import gatehouse.gateway.proxy.Forwarder;
import gatehouse.gateway.state.ClusterView;
import gatehouse.gateway.state.NodeIdentity;
import gatehouse.gateway.state.RoutingTableHolder;
import gatehouse.gateway.state.StateReplicator;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway's HTTP surface on the main port, in Tyk's order: {@code /hello}, {@code /ready}, the
 * control API under {@code /tyk/}, then every API.
 */
@ApplicationScoped
public class GatewayRoutes {

    private Forwarder forwarder;
    private Forwarder ownerForwarder;

    void register(
            @Observes Router router,
            Vertx vertx,
            RoutingTableHolder tables,
            StateReplicator replicator,
            OwnerDirectory owners,
            AdminGuard guard,
            ClusterPublisher publisher,
            ClusterView cluster,
            NodeIdentity node,
            ApiHealthStats apiHealth,
            KeyedAccess keyedAccess,
            AnalyticsRecorder analytics,
            gatehouse.gateway.certs.CertificateRegistry certificates,
            @ConfigProperty(name = "gatehouse.reload.timeout", defaultValue = "10s")
                    Duration reloadTimeout,
            @ConfigProperty(name = "gatehouse.proxy.connect-timeout") Duration connectTimeout,
            @ConfigProperty(name = "gatehouse.proxy.upstream-timeout") Duration upstreamTimeout,
            @ConfigProperty(name = "gatehouse.owners.timeout", defaultValue = "10s")
                    Duration ownerTimeout,
            @ConfigProperty(name = "gatehouse.tyk-version") String version,
            @ConfigProperty(name = "gatehouse.owners.oauth.url") String oauthUrl,
            @ConfigProperty(name = "gatehouse.http.trust-forwarded-headers", defaultValue = "true")
                    boolean trustForwardedHeaders) {
        forwarder = new Forwarder(vertx, connectTimeout, upstreamTimeout);
        // a hung owner must not hold a control call: it answers in time or the caller gets a 503
        ownerForwarder =
                new Forwarder(
                        vertx,
                        connectTimeout.compareTo(ownerTimeout) < 0 ? connectTimeout : ownerTimeout,
                        ownerTimeout);
        var health = new HealthEndpoints(replicator, owners, version);
        var reloads =
                new ReloadEndpoints(
                        replicator,
                        new GroupReload(publisher, cluster, vertx, node.id()),
                        cluster,
                        owners,
                        analytics::figures,
                        reloadTimeout);
        var control =
                new ControlApi(
                        owners,
                        ownerForwarder,
                        guard,
                        Map.of(
                                "/tyk/reload", reloads::reload,
                                "/tyk/reload/group", reloads::groupReload,
                                "/tyk/cluster", reloads::clusterStatus,
                                "/tyk/health", new HealthCheckEndpoint(apiHealth, tables)::handle));
        var proxy =
                new ApiProxy(
                        tables,
                        forwarder,
                        cluster::liveCount,
                        apiHealth,
                        trustForwardedHeaders,
                        keyedAccess,
                        gatehouse.gateway.routing.Upstream.of(oauthUrl),
                        analytics,
                        certificates);
        router.route().handler(new FrontDoor(health, control, proxy));
        // what Vert.x refuses before any route runs (an HTTP/1.1 request without Host): still
        // answered
        // in the gateway's error shape, and the connection closed
        router.route()
                .order(Integer.MIN_VALUE)
                .failureHandler(
                        failed -> {
                            if (failed.statusCode() == 400 && !failed.response().headWritten()) {
                                FrontDoor.malformed(failed);
                            } else {
                                failed.next();
                            }
                        });
    }

    void close(@Observes ShutdownEvent event) {
        if (forwarder != null) {
            forwarder.close();
            ownerForwarder.close();
        }
    }
}
