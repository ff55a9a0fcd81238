package gatehouse.admin;

import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TykRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Tyk's /tyk/apis and /tyk/policies behaviour, row by row, through the full HTTP stack (COMPAT §1,
 * §4.2, §5).
 */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "admin"))
class CompatibilityRowsTest {

    @ParameterizedTest(name = "{0} {1} admin={2} -> {4}")
    @CsvFileSource(
            resources = "/compat/apis.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void apis(String method, String path, String admin, String body, int status, String expected) {
        TykRows.check(method, path, admin, body, status, expected);
    }

    @ParameterizedTest(name = "{0} {1} admin={2} -> {4}")
    @CsvFileSource(
            resources = "/compat/policies.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void policies(
            String method, String path, String admin, String body, int status, String expected) {
        TykRows.check(method, path, admin, body, status, expected);
    }
}
