package gatehouse.oauth;

import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TykRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** Tyk's OAuth client management, row by row, through the full HTTP stack (COMPAT §9.1). */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "oauth"))
class OAuthRowsTest {

    @BeforeEach
    void apisAndPoliciesAreKnown() {
        OAuthFixtures.publishOnce();
    }

    @ParameterizedTest(name = "{0} {1} admin={2} -> {5}")
    @CsvFileSource(
            resources = "/compat/oauth-clients.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void clients(
            String method,
            String path,
            String admin,
            String headers,
            String body,
            int status,
            String expected) {
        TykRows.check(method, path, admin, headers, body, status, expected);
    }
}
