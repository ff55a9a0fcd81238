package gatehouse.keys;

import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.OwnerServiceChecks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "keys"))
class KeysServiceTest {

    @Test
    void theControlApiIsGuardedByTheAdminSecret() {
        OwnerServiceChecks.controlApiIsGuarded("/tyk/no-such-keys-path");
    }

    @Test
    void itIsReadyWithItsOwnMigratedDatabase() {
        OwnerServiceChecks.readyWithItsDatabase();
    }
}
