package gatehouse.oauth.api;

import gatehouse.oauth.domain.ClientSecrets;
import gatehouse.oauth.domain.OAuthSettings;
import gatehouse.oauth.domain.RedirectUris;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The OAuth settings and the client-secret seal, from configuration. */
@ApplicationScoped
public class OAuthConfiguration {

    @Produces
    @Singleton
    OAuthSettings settings(
            @ConfigProperty(name = "gatehouse.oauth.token-expire", defaultValue = "3600")
                    long tokenExpire,
            @ConfigProperty(name = "gatehouse.oauth.refresh-token-expire", defaultValue = "1209600")
                    long refreshExpire,
            @ConfigProperty(name = "gatehouse.oauth.code-expire", defaultValue = "250")
                    long codeExpire,
            @ConfigProperty(name = "gatehouse.oauth.error-status-code", defaultValue = "403")
                    int errorStatus,
            @ConfigProperty(name = "gatehouse.oauth.redirect-uri-match", defaultValue = "exact")
                    String match,
            @ConfigProperty(name = "gatehouse.oauth.redirect-uri-separator")
                    Optional<String> separator,
            @ConfigProperty(name = "gatehouse.keys.hash-key-function", defaultValue = "murmur64")
                    String hashFn) {
        RedirectUris.Mode mode =
                switch (match.trim().toLowerCase()) {
                    case "exact" -> RedirectUris.Mode.EXACT;
                    case "segment", "compat", "compatibility" -> RedirectUris.Mode.SEGMENT;
                    default ->
                            throw new IllegalArgumentException(
                                    "gatehouse.oauth.redirect-uri-match must be exact or segment: "
                                            + match);
                };
        return new OAuthSettings(
                tokenExpire,
                refreshExpire,
                codeExpire,
                errorStatus,
                mode,
                separator.orElse(""),
                hashFn.trim());
    }

    @Produces
    @Singleton
    ClientSecrets clientSecrets(
            @ConfigProperty(name = "gatehouse.keys.digest-secret") Optional<String> digestSecret,
            @ConfigProperty(name = "gatehouse.admin-secret") Optional<String> adminSecret) {
        String secret = digestSecret.filter(s -> !s.isBlank()).orElse(adminSecret.orElse(""));
        if (secret.isEmpty()) {
            throw new IllegalArgumentException(
                    "a key digest secret or an admin secret is required");
        }
        return new ClientSecrets(secret);
    }
}
