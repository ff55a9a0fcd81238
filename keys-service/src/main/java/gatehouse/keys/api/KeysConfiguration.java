package gatehouse.keys.api;

import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import gatehouse.contracts.keys.KeyDigest;
import gatehouse.keys.domain.KeySettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The key settings and the key digest, from configuration. */
@ApplicationScoped
public class KeysConfiguration {

    @Produces
    @Singleton
    KeySettings settings(@ConfigProperty(name = "gatehouse.keys.hash-key-function", defaultValue = "murmur64") String hashKeyFunction,
                         @ConfigProperty(name = "gatehouse.keys.enable-hashed-keys-listing", defaultValue = "false") boolean listing,
                         @ConfigProperty(name = "gatehouse.keys.allow-master-keys", defaultValue = "false") boolean masterKeys,
                         @ConfigProperty(name = "gatehouse.keys.min-token-length", defaultValue = "0") int minTokenLength,
                         @ConfigProperty(name = "gatehouse.keys.basic-auth-hash-key-function", defaultValue = "bcrypt") String basicAuthHash) {
        return new KeySettings(hashKeyFunction.trim(), listing, masterKeys, minTokenLength, basicAuthHash.trim());
    }

    @Produces
    @Singleton
    KeyDigest digest(@ConfigProperty(name = "gatehouse.keys.digest-secret") Optional<String> digestSecret,
                     @ConfigProperty(name = "gatehouse.admin-secret") Optional<String> adminSecret) {
        return KeyDigest.fromSecrets(digestSecret.orElse(""), adminSecret.orElse(""));
    }
}
