package gatehouse.keys.api;

import gatehouse.keys.domain.KeySettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The key settings, from configuration. */
@ApplicationScoped
public class KeysConfiguration {

    @Produces
    @Singleton
    KeySettings settings(
            @ConfigProperty(name = "gatehouse.keys.hash-key-function", defaultValue = "murmur64")
                    String hashKeyFunction,
            @ConfigProperty(
                            name = "gatehouse.keys.enable-hashed-keys-listing",
                            defaultValue = "false")
                    boolean listing,
            @ConfigProperty(name = "gatehouse.keys.allow-master-keys", defaultValue = "false")
                    boolean masterKeys,
            @ConfigProperty(name = "gatehouse.keys.min-token-length", defaultValue = "0")
                    int minTokenLength,
            @ConfigProperty(
                            name = "gatehouse.keys.basic-auth-hash-key-function",
                            defaultValue = "bcrypt")
                    String basicAuthHash) {
        return new KeySettings(
                hashKeyFunction.trim(), listing, masterKeys, minTokenLength, basicAuthHash.trim());
    }
}
