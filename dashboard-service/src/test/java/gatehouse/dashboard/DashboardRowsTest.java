package gatehouse.dashboard;

import gatehouse.testsupport.GatehouseTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The Dashboard Admin API and {@code /api/users}, {@code /api/usergroups}, row by row through the
 * full HTTP stack against a real PostgreSQL (DASHBOARD.md §1-3).
 */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "dashboard"))
class DashboardRowsTest {

    private static final DashboardRows ROWS = new DashboardRows();

    @ParameterizedTest(name = "{0} {1} ({2}) -> {4}")
    @CsvFileSource(
            resources = "/compat/dashboard.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void rows(
            String method,
            String path,
            String auth,
            String body,
            int status,
            String expected,
            String save) {
        ROWS.check(method, path, auth, body, status, expected, save);
    }
}
