package gatehouse.oauth;

import static io.restassured.RestAssured.given;

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
 * Hostile input to /tyk/oauth/clients, row by row (compat/oauth-hostile.csv): never a 5xx, always
 * Tyk's envelope, and a refusal changes nothing: the probe client and the API's client list read
 * the same, no client row is added and nothing is written to the outbox.
 */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "oauth"))
class OAuthHostileRowsTest {

    private static final String PROBE_BODY =
            "{\"client_id\":\"hostile-client\",\"secret\":\"hostile-secret-0123\","
                    + "\"api_id\":\"oauth-api-1\",\"redirect_uri\":\"http://cb.example/cb\",\"meta_data\":{\"a\":\"b\"},"
                    + "\"description\":\"probe\"}";

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> dbPassword;

    @BeforeEach
    void theProbeClientExists() {
        OAuthFixtures.publishOnce();
        given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                .body(PROBE_BODY)
                .post("/tyk/oauth/clients/create")
                .then()
                .statusCode(200);
    }

    @AfterEach
    void theProbeClientIsGone() {
        given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                .delete("/tyk/oauth/clients/oauth-api-1/hostile-client")
                .then()
                .statusCode(200);
    }

    /** The probe client and the API's clients as the control API shows them, and the row counts. */
    private String snapshot() {
        String client =
                given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                        .get("/tyk/oauth/clients/oauth-api-1/hostile-client")
                        .asString();
        String all =
                given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                        .get("/tyk/oauth/clients/oauth-api-1")
                        .asString();
        try (var connection = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword.orElse(""));
                var rows =
                        connection
                                .createStatement()
                                .executeQuery(
                                        "select (select count(*) from oauth_client),"
                                                + " (select coalesce(max(id), 0) from outbox_event where topic <> 'gatehouse.audit')")) {
            rows.next();
            return client + all + " clients=" + rows.getLong(1) + " outbox=" + rows.getLong(2);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {3}")
    @CsvFileSource(
            resources = "/compat/oauth-hostile.csv",
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
                Map.of("c", "\"api_id\":\"oauth-api-1\",\"redirect_uri\":\"http://cb.example/cb\""),
                this::snapshot);
    }
}
