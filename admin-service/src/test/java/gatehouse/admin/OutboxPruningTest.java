package gatehouse.admin;

import static io.restassured.RestAssured.given;

import gatehouse.testsupport.GatehouseTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Published outbox rows are pruned after the retention (the events live on in Kafka). */
@QuarkusTest
@TestProfile(OutboxPruningTest.ShortRetention.class)
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "admin"))
class OutboxPruningTest {

    public static class ShortRetention implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gatehouse.outbox.retention", "0s", "gatehouse.outbox.prune-interval", "200ms");
        }
    }

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private long rows(String where) throws Exception {
        try (var connection = DriverManager.getConnection(jdbcUrl, user, password.orElse(""));
                var result =
                        connection
                                .createStatement()
                                .executeQuery("select count(*) from outbox_event " + where)) {
            result.next();
            return result.getLong(1);
        }
    }

    @Test
    void publishedRowsGoUnpublishedOnesStay() throws Exception {
        given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                .body(
                        """
                {"api_id":"prune-1","name":"p","use_keyless":true,"proxy":{"listen_path":"/prune-1/","target_url":"http://127.0.0.1:9/"}}""")
                .post("/tyk/apis")
                .then()
                .statusCode(200);
        // written, then published, then pruned: the table ends empty, never with an unpublished row
        // lost
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> rows("") == 0);
        org.junit.jupiter.api.Assertions.assertFalse(
                gatehouse.testsupport.TopicRecords.withKey("gatehouse.apis", "prune-1").isEmpty(),
                "published before pruned");
        given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                .get("/tyk/apis/prune-1")
                .then()
                .statusCode(200);
    }
}
