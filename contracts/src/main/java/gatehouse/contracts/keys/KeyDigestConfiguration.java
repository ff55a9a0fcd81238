package gatehouse.contracts.keys;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one {@link KeyDigest} of a service, from {@code gatehouse.keys.digest-secret} ({@code
 * GATEHOUSE_KEY_DIGEST_SECRET}) or derived from {@code gatehouse.admin-secret}: keys-service,
 * oauth-service and every gateway must agree on it.
 */
@ApplicationScoped
public class KeyDigestConfiguration {

    @Produces
    @Singleton
    KeyDigest digest(
            @ConfigProperty(name = "gatehouse.keys.digest-secret") Optional<String> digestSecret,
            @ConfigProperty(name = "gatehouse.admin-secret") Optional<String> adminSecret) {
        return KeyDigest.fromSecrets(digestSecret.orElse(""), adminSecret.orElse(""));
    }

    /** The sealing of session secrets, under the same installation secret. */
    @Produces
    @Singleton
    SessionSecrets sessionSecrets(KeyDigest digest) {
        return digest.sessionSecrets();
    }
}
