package gatehouse.keys;

import static io.restassured.RestAssured.given;

import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TykRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Tyk's /tyk/keys and /tyk/org/keys behaviour, row by row, through the full HTTP stack (COMPAT §2,
 * §8).
 */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "keys"))
class KeyRowsTest {

    private static boolean policyPublished;

    @BeforeEach
    void goldPolicyIsKnown() {
        if (policyPublished) {
            return;
        }
        policyPublished = true;
        // given a policy on gatehouse.policies, as admin-service would publish it
        KeyFixtures.publishPolicy(
                "pol-gold",
                """
                {"id":"pol-gold","org_id":"default","rate":100,"per":1,"quota_max":1000,"quota_renewal_rate":3600,
                 "access_rights":{"api-gold":{"api_id":"api-gold","versions":["Default"]}}}""");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                given().header(
                                                        "x-tyk-authorization",
                                                        GatehouseTestResource.ADMIN_SECRET)
                                                .body("{\"apply_policies\":[\"pol-gold\"]}")
                                                .post("/tyk/keys/preview")
                                                .statusCode()
                                        == 200);
    }

    @ParameterizedTest(name = "{0} {1} admin={2} -> {4}")
    @CsvFileSource(
            resources = "/compat/keys.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void keys(String method, String path, String admin, String body, int status, String expected) {
        TykRows.check(method, path, admin, body, status, expected);
    }

    @ParameterizedTest(name = "{0} {1} admin={2} -> {4}")
    @CsvFileSource(
            resources = "/compat/org-keys.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void orgKeys(
            String method, String path, String admin, String body, int status, String expected) {
        TykRows.check(method, path, admin, body, status, expected);
    }
}
