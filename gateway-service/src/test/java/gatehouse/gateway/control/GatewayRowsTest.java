package gatehouse.gateway.control;

import gatehouse.gateway.EchoOwnersResource;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TykRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** The gateway's own endpoints, row by row, through the full HTTP stack. */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class GatewayRowsTest {

    @ParameterizedTest(name = "{0} {1} admin={2} -> {4}")
    @CsvFileSource(
            resources = "/compat/gateway.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void row(String method, String path, String admin, String body, int status, String expected) {
        TykRows.check(method, path, admin, body, status, expected);
    }
}
