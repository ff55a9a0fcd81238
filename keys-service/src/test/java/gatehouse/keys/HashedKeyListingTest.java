package gatehouse.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import gatehouse.contracts.keys.TykKeys;
import gatehouse.testsupport.GatehouseTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code enable_hashed_keys_listing}: {@code GET /tyk/keys} lists Tyk's key hashes, filtered by API
 * (COMPAT §2.3).
 */
@QuarkusTest
@TestProfile(HashedKeyListingTest.Listing.class)
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "keys"))
class HashedKeyListingTest {

    public static class Listing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.keys.enable-hashed-keys-listing", "true");
        }
    }

    private static String create(String api) {
        return given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                .body(
                        "{\"org_id\":\"o\",\"access_rights\":{\""
                                + api
                                + "\":{\"api_id\":\""
                                + api
                                + "\"}}}")
                .post("/tyk/keys/create")
                .then()
                .statusCode(200)
                .extract()
                .path("key");
    }

    @Test
    void listsHashesAndFiltersByApi() {
        String first = create("list-a");
        String second = create("list-b");
        var admin = given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET);
        admin.get("/tyk/keys")
                .then()
                .statusCode(200)
                .body("keys", hasItem(TykKeys.keyHash(first)))
                .body("keys", hasItem(TykKeys.keyHash(second)))
                .body("keys", not(hasItem(first)));
        given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                .get("/tyk/keys?api_id=list-a")
                .then()
                .statusCode(200)
                .body("keys", equalTo(java.util.List.of(TykKeys.keyHash(first))));
    }
}
