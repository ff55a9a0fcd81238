package gatehouse.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import gatehouse.contracts.keys.TykKeys;
import gatehouse.testsupport.GatehouseTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Dashboard's internal key reads: {@code /gatehouse/keys/search} (one organisation's key
 * hashes, paged in key-hash order) and {@code /gatehouse/keys/find} (one key, by key, hash or user
 * name).
 */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "keys"))
class KeyListResourceTest {

    private static RequestSpecification admin() {
        return given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET);
    }

    private static String create(String org, String api) {
        return admin().body(
                        "{\"org_id\":\""
                                + org
                                + "\",\"access_rights\":{\""
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
    void listsOneOrganisationsKeyHashesPagedAndFilteredByApiAndHash() {
        String org = "org-" + UUID.randomUUID();
        String first = create(org, "list-x");
        String second = create(org, "list-y");
        create("other-" + org, "list-x");
        List<String> hashes = Stream.of(first, second).map(TykKeys::keyHash).sorted().toList();
        admin().get("/gatehouse/keys/search?org_id=" + org)
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items.key_hash", equalTo(hashes))
                .body("items[0].session", equalTo(null));
        admin().get("/gatehouse/keys/search?org_id=" + org + "&offset=1&limit=1")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items.key_hash", equalTo(hashes.subList(1, 2)));
        admin().get("/gatehouse/keys/search?org_id=" + org + "&api_id=list-y")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items.key_hash", equalTo(List.of(TykKeys.keyHash(second))));
        String hash = TykKeys.keyHash(first);
        admin().get(
                        "/gatehouse/keys/search?org_id="
                                + org
                                + "&detailed=true&q="
                                + hash.substring(2, 12))
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].session.org_id", equalTo(org))
                .body("items[0].session.access_rights.list-x.api_id", equalTo("list-x"));
        admin().get("/gatehouse/keys/search?org_id=" + org + "&q=%25")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
        given().get("/gatehouse/keys/search?org_id=" + org).then().statusCode(403);
    }

    @Test
    void aSessionJsonbRefusesIsStillListedUnderItsApi() {
        String org = "org-" + UUID.randomUUID();
        String key =
                admin().body(
                                "{\"org_id\":\""
                                        + org
                                        + "\",\"alias\":\"a\\u0000b\",\"access_rights\":"
                                        + "{\"nul-x\":{\"api_id\":\"nul-x\"}}}")
                        .post("/tyk/keys/create")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("key");
        admin().get("/gatehouse/keys/search?org_id=" + org + "&api_id=nul-x")
                .then()
                .statusCode(200)
                .body("items.key_hash", equalTo(List.of(TykKeys.keyHash(key))));
        admin().get("/gatehouse/keys/search?org_id=" + org + "&api_id=nul-y")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void findsAKeyByKeyHashOrUserNameAndNamesItsOrganisation() {
        String org = "org-" + UUID.randomUUID();
        String key = create(org, "find-x");
        String hash = TykKeys.keyHash(key);
        admin().body("{\"key\":\"" + key + "\",\"org_id\":\"" + org + "\"}")
                .post("/gatehouse/keys/find")
                .then()
                .statusCode(200)
                .body("found", equalTo(true))
                .body("key_hash", equalTo(hash))
                .body("org_id", equalTo(org))
                .body("session.access_rights.find-x.api_id", equalTo("find-x"));
        admin().body("{\"key\":\"" + hash + "\",\"hashed\":true}")
                .post("/gatehouse/keys/find")
                .then()
                .statusCode(200)
                .body("org_id", equalTo(org));
        admin().body("{\"key\":\"" + hash + "\"}")
                .post("/gatehouse/keys/find")
                .then()
                .statusCode(200)
                .body("found", equalTo(false))
                .body("session", equalTo(null));
        admin().body(
                        "{\"org_id\":\""
                                + org
                                + "\",\"basic_auth_data\":{\"password\":\"pw-secret\"},"
                                + "\"access_rights\":{\"find-x\":{\"api_id\":\"find-x\"}}}")
                .post("/tyk/keys/finduser")
                .then()
                .statusCode(200);
        admin().body("{\"key\":\"finduser\",\"username\":true,\"org_id\":\"" + org + "\"}")
                .post("/gatehouse/keys/find")
                .then()
                .statusCode(200)
                .body("org_id", equalTo(org))
                .body("session.basic_auth_data.password", equalTo(""));
        admin().body("{oops").post("/gatehouse/keys/find").then().statusCode(400);
    }
}
