package gatehouse.dashboard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.keys.KeyDigest;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.OwnerServiceChecks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A Dashboard credential: stored by digest only, shown once, and revoked at once by a reset; lists
 * paged as Tyk pages them.
 */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "dashboard"))
class CredentialLifecycleTest {

    @Inject Pool database;
    @Inject KeyDigest digests;

    private static String org(String name) {
        return JsonPath.from(
                        given().header("admin-auth", DashboardRows.ADMIN_SECRET)
                                .body("{\"owner_name\":\"" + name + "\"}")
                                .post("/admin/organisations")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                .getString("Meta");
    }

    /** Creates an admin user of the org and answers its credential (the Admin API's Message). */
    private static String adminUser(String orgId, String email) {
        return JsonPath.from(
                        given().header("admin-auth", DashboardRows.ADMIN_SECRET)
                                .body(
                                        "{\"org_id\":\""
                                                + orgId
                                                + "\",\"first_name\":\"A\",\"last_name\":\"B\",\"email_address\":\""
                                                + email
                                                + "\"}")
                                .post("/admin/users")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                .getString("Message");
    }

    private long rowsWithDigest(String value) {
        return database.preparedQuery(
                        "select count(*) from dashboard_user where access_key_digest = $1")
                .execute(Tuple.of(value))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next()
                .getLong(0);
    }

    @Test
    void theCredentialIsStoredOnlyAsItsDigest() {
        String key = adminUser(org("Digest Co"), "digest@example.org");
        assertTrue(key.matches("[0-9a-f]{32}"), key);
        assertEquals(0, rowsWithDigest(key));
        assertEquals(1, rowsWithDigest(digests.of(key)));
        long rawAnywhere =
                database.preparedQuery(
                                "select count(*) from dashboard_user where position($1 in"
                                        + " (dashboard_user.*)::text) > 0")
                        .execute(Tuple.of(key))
                        .await()
                        .atMost(Duration.ofSeconds(10))
                        .iterator()
                        .next()
                        .getLong(0);
        assertEquals(0, rawAnywhere);
    }

    @Test
    void aResetRevokesTheOldCredentialAtOnceAndReadsNeverShowIt() {
        String orgId = org("Reset Co");
        String old = adminUser(orgId, "reset@example.org");
        String me =
                given().header("authorization", old)
                        .get("/api/users/me")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertTrue(!me.contains(old) && !me.contains("access_key"), me);
        String id = JsonPath.from(me).getString("id");

        String answer =
                given().header("authorization", old)
                        .put("/api/users/" + id + "/actions/key/reset")
                        .then()
                        .statusCode(200)
                        .body("Message", equalTo("User session renewed"))
                        .extract()
                        .asString();
        String fresh = JsonPath.from(answer).getString("access_key");
        assertNotEquals(old, fresh);
        // the very next request with the old credential is refused: no cache to wait for
        given().header("authorization", old)
                .get("/api/users/me")
                .then()
                .statusCode(401)
                .body(
                        equalTo(
                                "{\"Status\":\"Error\",\"Message\":\"Not authorised\",\"Meta\":null}\n"));
        given().header("authorization", fresh).get("/api/users/me").then().statusCode(200);
        String read =
                given().header("admin-auth", DashboardRows.ADMIN_SECRET)
                        .get("/admin/users/" + id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertTrue(!read.contains(fresh) && !read.contains("access_key"), read);
    }

    @Test
    void anInactiveUserIsRefusedAndAReactivatedOneAdmitted() {
        String orgId = org("Inactive Co");
        String key = adminUser(orgId, "inactive@example.org");
        String id =
                given().header("authorization", key)
                        .get("/api/users/me")
                        .then()
                        .extract()
                        .path("id");
        given().header("admin-auth", DashboardRows.ADMIN_SECRET)
                .body("{\"active\":false}")
                .put("/admin/users/" + id)
                .then()
                .statusCode(200);
        given().header("authorization", key).get("/api/users/me").then().statusCode(401);
        given().header("admin-auth", DashboardRows.ADMIN_SECRET)
                .body("{\"active\":true}")
                .put("/admin/users/" + id)
                .then()
                .statusCode(200);
        given().header("authorization", key).get("/api/users/me").then().statusCode(200);
    }

    @Test
    void listsArePagedByTen() {
        String orgId = org("Paging Co");
        String key = adminUser(orgId, "pager0@example.org");
        for (int i = 1; i <= 11; i++) {
            given().header("authorization", key)
                    .body(
                            "{\"first_name\":\"P\",\"last_name\":\""
                                    + i
                                    + "\",\"email_address\":\"pager"
                                    + i
                                    + "@example.org\",\"user_permissions\":{\"apis\":\"read\"}}")
                    .post("/api/users")
                    .then()
                    .statusCode(200);
        }
        // 12 users: pages of 10, p=0 and p=1 the first, p<0 all
        for (String p : new String[] {"", "?p=0", "?p=1"}) {
            given().header("authorization", key)
                    .get("/api/users" + p)
                    .then()
                    .statusCode(200)
                    .body("pages", equalTo(2))
                    .body("users", hasSize(10))
                    .body("users[0].email_address", equalTo("pager0@example.org"));
        }
        given().header("authorization", key)
                .get("/api/users?p=2")
                .then()
                .body("users", hasSize(2))
                .body("users[1].email_address", equalTo("pager11@example.org"));
        given().header("authorization", key)
                .get("/api/users?p=3")
                .then()
                .body("users", hasSize(0))
                .body("pages", equalTo(2));
        given().header("authorization", key)
                .get("/api/users?p=-1")
                .then()
                .body("users", hasSize(12))
                .body("pages", equalTo(1));
    }

    @Test
    void itIsReadyWithItsOwnMigratedDatabase() {
        OwnerServiceChecks.readyWithItsDatabase();
    }

    @Test
    void theGatewaySecretDoesNotOpenTheAdminApi() {
        given().header("admin-auth", GatehouseTestResource.ADMIN_SECRET)
                .get("/admin/organisations")
                .then()
                .statusCode(401);
    }
}
