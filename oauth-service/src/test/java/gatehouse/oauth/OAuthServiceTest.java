package gatehouse.oauth;

import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.OwnerServiceChecks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "oauth"))
class OAuthServiceTest {

    @Test
    void theControlApiIsGuardedByTheAdminSecret() {
        OwnerServiceChecks.controlApiIsGuarded("/tyk/oauth/no-such-path");
    }

    @Test
    void itIsReadyWithItsOwnMigratedDatabase() {
        OwnerServiceChecks.readyWithItsDatabase();
    }
}
