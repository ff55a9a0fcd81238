package gatehouse.dashboard.access.api;

import gatehouse.contracts.security.AdminSecret;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Dashboard Admin API's secret ({@code admin-auth}, Tyk's {@code admin_secret}), checked in
 * constant time by contracts' {@link AdminSecret}. Created at start: a service without one refuses
 * to start.
 */
@Startup
@Singleton
public class AdminAuth {

    /** The header, as Tyk names it (header names are case-insensitive). */
    public static final String HEADER = "admin-auth";

    private final AdminSecret secret;

    AdminAuth(
            @ConfigProperty(name = "gatehouse.dashboard.admin-secret", defaultValue = "")
                    String configured) {
        if (configured.isBlank()) {
            throw new IllegalStateException(
                    "the Dashboard Admin API secret is empty: set GATEHOUSE_DASHBOARD_ADMIN_SECRET");
        }
        this.secret = AdminSecret.of(configured, false);
    }

    /** True when the presented header is the secret. */
    public boolean admits(String presented) {
        return secret.matches(presented);
    }
}
