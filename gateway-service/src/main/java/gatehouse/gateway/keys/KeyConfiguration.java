package gatehouse.gateway.keys;

import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import gatehouse.contracts.keys.KeyDigest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The key digest the gateways share with keys-service. */
@ApplicationScoped
public class KeyConfiguration {

    @Produces
    @Singleton
    KeyDigest digest(@ConfigProperty(name = "gatehouse.keys.digest-secret") Optional<String> digestSecret,
                     @ConfigProperty(name = "gatehouse.admin-secret") Optional<String> adminSecret) {
        return KeyDigest.fromSecrets(digestSecret.orElse(""), adminSecret.orElse(""));
    }
}
