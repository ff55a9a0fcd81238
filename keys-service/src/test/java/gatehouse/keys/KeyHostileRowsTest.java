package gatehouse.keys;

import static io.restassured.RestAssured.given;

import gatehouse.contracts.keys.TykKeys;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.HostileRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.DriverManager;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Hostile input to /tyk/keys and /tyk/org/keys, row by row (compat/keys-hostile.csv): never a 5xx,
 * always Tyk's envelope, and a refusal changes nothing: the probe key reads the same, no key or org
 * row is added and nothing is written to the outbox.
 */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "keys"))
class KeyHostileRowsTest {

    static final String PROBE = TykKeys.generate("default", "hostile-probe", "murmur64");
    private static final String PROBE_BODY =
            "{\"org_id\":\"default\",\"rate\":5,\"per\":1,\"quota_max\":50,"
                    + "\"quota_renewal_rate\":3600,\"expires\":0,\"access_rights\":{\"api1\":{\"api_id\":\"api1\","
                    + "\"versions\":[\"Default\"],\"limit\":{\"rate\":5,\"per\":1,\"quota_max\":50}}}}";

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> dbPassword;

    @BeforeEach
    void theProbeKeyExists() {
        given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                .body(PROBE_BODY)
                .post("/tyk/keys/hostile-probe")
                .then()
                .statusCode(200);
        given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                .body("{\"quota_max\":10}")
                .post("/tyk/org/keys/hostile-org")
                .then()
                .statusCode(200);
    }

    @AfterEach
    void theProbeOrgIsGone() {
        // other row files list every org
        given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                .delete("/tyk/org/keys/hostile-org");
    }

    /**
     * The probe key and org as the control API shows them, and the counts of keys, orgs and outbox
     * events.
     */
    private String snapshot() {
        var admin = given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET);
        String key = admin.get("/tyk/keys/" + PROBE).asString();
        String org =
                given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                        .get("/tyk/org/keys/hostile-org")
                        .asString();
        try (var connection = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword.orElse(""));
                var rows =
                        connection
                                .createStatement()
                                .executeQuery(
                                        "select (select count(*) from api_key),"
                                                + " (select count(*) from org_key), (select coalesce(max(id), 0) from outbox_event where topic <> 'gatehouse.audit')")) {
            rows.next();
            return key
                    + org
                    + " keys="
                    + rows.getLong(1)
                    + " orgs="
                    + rows.getLong(2)
                    + " outbox="
                    + rows.getLong(3);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {3}")
    @CsvFileSource(
            resources = "/compat/keys-hostile.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {},
            maxCharsPerColumn = -1)
    void hostile(
            String method, String path, String body, int status, String expected, String state) {
        HostileRows.check(
                method,
                path,
                body,
                status,
                expected,
                state,
                Map.of(
                        "probe",
                        PROBE,
                        "rights",
                        "\"access_rights\":{\"api1\":{\"api_id\":\"api1\",\"versions\":[\"Default\"]}}"),
                this::snapshot);
    }
}
