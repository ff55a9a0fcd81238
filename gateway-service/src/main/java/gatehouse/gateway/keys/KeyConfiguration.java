package gatehouse.gateway.keys;

import java.time.Duration;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import gatehouse.contracts.keys.KeyDigest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import io.vertx.core.Vertx;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** The key digest the gateways share with the owners, and the read-through look-ups of keys and tokens. */
@ApplicationScoped
public class KeyConfiguration {

    @Produces
    @Singleton
    KeyDigest digest(@ConfigProperty(name = "gatehouse.keys.digest-secret") Optional<String> digestSecret,
                     @ConfigProperty(name = "gatehouse.admin-secret") Optional<String> adminSecret) {
        return KeyDigest.fromSecrets(digestSecret.orElse(""), adminSecret.orElse(""));
    }

    @Produces
    @Singleton
    @Named("keys")
    KeyLookup keyLookup(Vertx vertx, KeyRegistry registry, @ConfigProperty(name = "gatehouse.owners.keys.url") String url,
                        @ConfigProperty(name = "gatehouse.admin-secret") String adminSecret,
                        @ConfigProperty(name = "gatehouse.keys.lookup.negative-cache", defaultValue = "1s") Duration negative,
                        @ConfigProperty(name = "gatehouse.keys.lookup.max-in-flight", defaultValue = "64") int maxInFlight,
                        @ConfigProperty(name = "gatehouse.keys.lookup.timeout", defaultValue = "2s") Duration timeout) {
        return new KeyLookup(vertx, registry, url, "/gatehouse/keys/", adminSecret, negative, maxInFlight, timeout);
    }

    @Produces
    @Singleton
    @Named("tokens")
    KeyLookup tokenLookup(Vertx vertx, KeyRegistry registry, @ConfigProperty(name = "gatehouse.owners.oauth.url") String url,
                          @ConfigProperty(name = "gatehouse.admin-secret") String adminSecret,
                          @ConfigProperty(name = "gatehouse.keys.lookup.negative-cache", defaultValue = "1s") Duration negative,
                          @ConfigProperty(name = "gatehouse.keys.lookup.max-in-flight", defaultValue = "64") int maxInFlight,
                          @ConfigProperty(name = "gatehouse.keys.lookup.timeout", defaultValue = "2s") Duration timeout) {
        return new KeyLookup(vertx, registry, url, "/gatehouse/oauth/tokens/", adminSecret, negative, maxInFlight, timeout);
    }
}
