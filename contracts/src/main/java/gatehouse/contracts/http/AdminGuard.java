package gatehouse.contracts.http;

import gatehouse.contracts.security.AdminSecret;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Holds this node's admin secret. Created at start, so a node with an empty secret refuses to start
 * (unless {@code gatehouse.allow-empty-secret} is set for a local demo).
 */
@Startup
@Singleton
public class AdminGuard {

    /** Tyk's header name; header lookups are case-insensitive. */
    public static final String HEADER = "x-tyk-authorization";

    private final AdminSecret secret;

    AdminGuard(
            @ConfigProperty(name = "gatehouse.admin-secret", defaultValue = "") String secret,
            @ConfigProperty(name = "gatehouse.allow-empty-secret", defaultValue = "false")
                    boolean allowEmpty) {
        this.secret = AdminSecret.of(secret, allowEmpty);
    }

    /** True when the presented {@code x-tyk-authorization} value is the secret (constant time). */
    public boolean admits(String presentedHeader) {
        return secret.matches(presentedHeader);
    }
}
