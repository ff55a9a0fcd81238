package gatehouse.system;

import static org.junit.jupiter.api.Assumptions.abort;

import org.junit.jupiter.api.Test;

/**
 * Stands in for the generated client's test (src/dashboard-client/java) when the build found no Tyk
 * Dashboard spec to make the client from: the spec is never copied into the project, so a checkout
 * without shared/ beside it skips this test, and says so.
 */
class DashboardClientIT {

    @Test
    void aClientGeneratedFromTyksDashboardSpec() {
        abort(
                "no client generated: Tyk's Dashboard spec was not found at "
                        + System.getProperty("gatehouse.dashboard.client.spec", "(unset)")
                        + "; put shared/ beside the checkout or pass"
                        + " -Dgatehouse.dashboard.openapi=/path/to/dashboard-openapi.yml");
    }
}
