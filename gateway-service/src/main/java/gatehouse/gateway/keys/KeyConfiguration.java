package gatehouse.gateway.keys;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The read-through look-ups of keys (keys-service) and access tokens (oauth-service). */
@ApplicationScoped
public class KeyConfiguration {

    @Produces
    @Singleton
    @Named("keys")
    KeyLookup keyLookup(
            Vertx vertx,
            KeyRegistry registry,
            MeterRegistry meters,
            @ConfigProperty(name = "gatehouse.owners.keys.url") String url,
            @ConfigProperty(name = "gatehouse.admin-secret") String adminSecret,
            @ConfigProperty(name = "gatehouse.keys.lookup.negative-cache", defaultValue = "1s")
                    Duration negative,
            @ConfigProperty(name = "gatehouse.keys.lookup.max-in-flight", defaultValue = "64")
                    int maxInFlight,
            @ConfigProperty(name = "gatehouse.keys.lookup.timeout", defaultValue = "2s")
                    Duration timeout) {
        return new KeyLookup(
                vertx,
                registry,
                url,
                "/gatehouse/keys/",
                adminSecret,
                negative,
                maxInFlight,
                timeout,
                coalesced(meters, "keys-service"));
    }

    @Produces
    @Singleton
    @Named("tokens")
    KeyLookup tokenLookup(
            Vertx vertx,
            KeyRegistry registry,
            MeterRegistry meters,
            @ConfigProperty(name = "gatehouse.owners.oauth.url") String url,
            @ConfigProperty(name = "gatehouse.admin-secret") String adminSecret,
            @ConfigProperty(name = "gatehouse.keys.lookup.negative-cache", defaultValue = "1s")
                    Duration negative,
            @ConfigProperty(name = "gatehouse.keys.lookup.max-in-flight", defaultValue = "64")
                    int maxInFlight,
            @ConfigProperty(name = "gatehouse.keys.lookup.timeout", defaultValue = "2s")
                    Duration timeout) {
        return new KeyLookup(
                vertx,
                registry,
                url,
                "/gatehouse/oauth/tokens/",
                adminSecret,
                negative,
                maxInFlight,
                timeout,
                coalesced(meters, "oauth-service"));
    }

    private static Counter coalesced(MeterRegistry meters, String owner) {
        return Counter.builder("gatehouse.keys.lookup.coalesced")
                .tag("owner", owner)
                .description("requests that joined a look-up of the same key already in flight")
                .register(meters);
    }
}
