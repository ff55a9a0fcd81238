package gatehouse.admin.documents;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.events.Topics;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Dashboard's internal lists in admin-service ({@code /gatehouse/apis/...}, {@code
 * /gatehouse/policies/...}): confined to the organisation asked for, searched, sorted and paged in
 * the database; the first page of 10,000 APIs well under a second.
 */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        // a database of its own: the 10,000 rows are written past the audit journal
        initArgs = @ResourceArg(name = "database", value = "admin_lists"))
class DocumentListsTest {

    private static final Logger LOGGER = Logger.getLogger(DocumentListsTest.class);
    private static final String SECRET = GatehouseTestResource.ADMIN_SECRET;
    private static final int MANY = 10_000;

    @Inject Pool pool;

    private static boolean seeded;

    /**
     * 10,000 APIs of org "big" straight into the table (the list reads it, not the writer); only
     * once the relay has published, so the start-up republication is past and leaves them alone.
     */
    @BeforeEach
    synchronized void tenThousandApis() {
        if (seeded) {
            return;
        }
        given().header("x-tyk-authorization", SECRET)
                .body(
                        """
                        {"api_id":"lists-first","org_id":"first","name":"First","use_keyless":true,
                         "proxy":{"listen_path":"/lists-first/","target_url":"http://127.0.0.1:9/"}}""")
                .post("/tyk/apis")
                .then()
                .statusCode(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (TopicRecords.withKey(Topics.APIS.name(), "lists-first").isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the relay published nothing in 30 s");
        }
        pool.preparedQuery(
                        "insert into api_definition (api_id, org_id, listen_path, document, version,"
                                + " created_at, updated_at)"
                                + " select 'big-' || i, 'big', '/big-' || i || '/',"
                                + " json_build_object('api_id', 'big-' || i, 'id', lpad(to_hex(i), 24, '0'),"
                                + " 'org_id', 'big', 'name', 'Big API ' || i)::text, 1,"
                                + " timestamptz '2024-01-01' + i * interval '1 second',"
                                + " timestamptz '2024-06-01' - i * interval '1 second'"
                                + " from generate_series(1, $1) i on conflict do nothing")
                .execute(Tuple.of(MANY))
                .await()
                .atMost(Duration.ofSeconds(60));
        seeded = true;
    }

    private static JsonPath get(String path) {
        String body =
                given().header("x-tyk-authorization", SECRET)
                        .urlEncodingEnabled(false)
                        .get(path)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        return JsonPath.from(body);
    }

    private static List<String> names(JsonPath page) {
        return page.getList("items.document.name", String.class);
    }

    @Test
    void theFirstPageOfTenThousandIsTheNewestTenInWellUnderASecond() {
        get("/gatehouse/apis/search?org_id=big&limit=10"); // warm the connection and the plan
        long[] millis = new long[20];
        JsonPath page = null;
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            page = get("/gatehouse/apis/search?org_id=big&limit=10");
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(millis);
        LOGGER.infof(
                "first page of %d APIs: median %d ms, max %d ms over %d calls",
                MANY, millis[millis.length / 2], millis[millis.length - 1], millis.length);
        assertEquals(MANY, page.getLong("total"));
        assertEquals(
                List.of("Big API 10000", "Big API 9999", "Big API 9998"),
                names(page).subList(0, 3));
        assertEquals(10, names(page).size());
        assertTrue(millis[millis.length / 2] < 250, "median " + millis[millis.length / 2] + " ms");
        assertTrue(millis[millis.length - 1] < 1000, "max " + millis[millis.length - 1] + " ms");

        long start = System.nanoTime();
        JsonPath searched = get("/gatehouse/apis/search?org_id=big&q=API%20999&limit=10");
        long searchMillis = (System.nanoTime() - start) / 1_000_000;
        LOGGER.infof("name search over %d APIs: %d ms", MANY, searchMillis);
        assertEquals(11, searched.getLong("total")); // 999 and 9990..9999
        assertTrue(searchMillis < 1000, "search " + searchMillis + " ms");
    }

    @Test
    void sortsAndPagesAsAsked() {
        assertEquals(
                List.of("Big API 1", "Big API 2"),
                names(get("/gatehouse/apis/search?org_id=big&sort=created_at&limit=2")));
        assertEquals(
                List.of("Big API 3", "Big API 4"),
                names(get("/gatehouse/apis/search?org_id=big&sort=created_at&limit=2&offset=2")));
        assertEquals(
                List.of("Big API 1", "Big API 10"),
                names(get("/gatehouse/apis/search?org_id=big&sort=name&limit=2")));
        assertEquals(
                List.of("Big API 9999", "Big API 9998"),
                names(get("/gatehouse/apis/search?org_id=big&sort=-name&limit=2")));
        assertEquals(
                List.of("Big API 10000", "Big API 9999"),
                names(get("/gatehouse/apis/search?org_id=big&sort=updated_at&limit=2")));
        given().header("x-tyk-authorization", SECRET)
                .get("/gatehouse/apis/search?org_id=big&sort=colour")
                .then()
                .statusCode(400);
        given().header("x-tyk-authorization", SECRET)
                .get("/gatehouse/apis/search?org_id=big&limit=-1")
                .then()
                .statusCode(400);
    }

    @Test
    void anApiWrittenThroughTykApisIsListedOnlyInItsOrganisationAndFoundByEitherId() {
        given().header("x-tyk-authorization", SECRET)
                .body(
                        """
                        {"api_id":"lists-a1","id":"aaaaaaaaaaaaaaaaaaaaaaaa","org_id":"org-a",
                         "name":"Orders 50% off_","use_keyless":true,
                         "proxy":{"listen_path":"/lists-a1/","target_url":"http://127.0.0.1:9/"}}""")
                .post("/tyk/apis")
                .then()
                .statusCode(200);
        assertEquals(List.of("Orders 50% off_"), names(get("/gatehouse/apis/search?org_id=org-a")));
        assertEquals(0, get("/gatehouse/apis/search?org_id=org-b").getLong("total"));
        // the pattern is text, not LIKE's wildcards
        assertEquals(1, get("/gatehouse/apis/search?org_id=org-a&q=50%25%20OFF_").getLong("total"));
        assertEquals(0, get("/gatehouse/apis/search?org_id=org-a&q=5_%25").getLong("total"));
        assertEquals(
                "lists-a1",
                get("/gatehouse/apis/lookup/aaaaaaaaaaaaaaaaaaaaaaaa?org_id=org-a")
                        .getString("document.api_id"));
        assertEquals(
                "lists-a1", get("/gatehouse/apis/lookup/lists-a1").getString("document.api_id"));
        given().header("x-tyk-authorization", SECRET)
                .get("/gatehouse/apis/lookup/lists-a1?org_id=org-b")
                .then()
                .statusCode(404);
        given().get("/gatehouse/apis/search?org_id=org-a").then().statusCode(403);
        given().header("x-tyk-authorization", SECRET)
                .delete("/tyk/apis/lists-a1")
                .then()
                .statusCode(200);
        given().header("x-tyk-authorization", SECRET)
                .get("/gatehouse/apis/lookup/lists-a1")
                .then()
                .statusCode(404);
        assertEquals(0, get("/gatehouse/apis/search?org_id=org-a").getLong("total"));
    }

    @Test
    void theDashboardsFiltersReadTheStoredDefinition() {
        String[] apis = {
            """
            {"api_id":"f-keyless","org_id":"org-f","name":"Open #public","use_keyless":true,
             "proxy":{"listen_path":"/f-keyless/","target_url":"http://127.0.0.1:9/"}}""",
            """
            {"api_id":"f-token","org_id":"org-f","name":"Token #public #billing","use_keyless":false,
             "proxy":{"listen_path":"/f-token/","target_url":"http://127.0.0.1:9/"}}""",
            """
            {"api_id":"f-oauth","org_id":"org-f","name":"OAuth","use_keyless":false,"use_oauth2":true,
             "oauth_meta":{"allowed_access_types":["client_credentials"]},
             "definition":{"location":"header","key":"x-version","enabled":true,
              "versions":{"v2":"f-child"}},
             "proxy":{"listen_path":"/f-oauth/","target_url":"http://127.0.0.1:9/"}}""",
            """
            {"api_id":"f-child","org_id":"org-f","name":"Child #billing","use_keyless":true,
             "graphql":{"enabled":true,"execution_mode":"executionEngine"},
             "proxy":{"listen_path":"/f-child/","target_url":"http://127.0.0.1:9/"}}"""
        };
        for (String api : apis) {
            given().header("x-tyk-authorization", SECRET)
                    .body(api)
                    .post("/tyk/apis")
                    .then()
                    .statusCode(200);
        }
        String base = "/gatehouse/apis/search?org_id=org-f&sort=name";
        assertEquals(List.of("Child #billing"), names(get(base + "&api_type=udg")));
        assertEquals(
                List.of("OAuth", "Open #public", "Token #public #billing"),
                names(get(base + "&api_type=rest")));
        assertEquals(List.of(), names(get(base + "&api_type=tcp")));
        assertEquals(
                List.of("Child #billing", "Open #public"), names(get(base + "&auth_type=keyless")));
        assertEquals(List.of("Token #public #billing"), names(get(base + "&auth_type=authToken")));
        assertEquals(
                List.of("OAuth", "Token #public #billing"),
                names(get(base + "&auth_type=oauth,authToken")));
        assertEquals(
                List.of("Child #billing", "Token #public #billing"),
                names(get(base + "&category=billing")));
        assertEquals(
                List.of("Open #public", "Token #public #billing"),
                names(get(base + "&category=%23public")));
        assertEquals(
                List.of("OAuth", "Open #public", "Token #public #billing"),
                names(get(base + "&base_apis=1")));
        assertEquals(List.of("Open #public"), names(get(base + "&base_apis=1&auth_type=keyless")));
        assertEquals(
                List.of("f-child", "f-keyless", "f-token"),
                get("/gatehouse/apis/tagged?org_id=org-f").getList("items.api_id", String.class));
        given().header("x-tyk-authorization", SECRET)
                .get(base + "&auth_type=carrier-pigeon")
                .then()
                .statusCode(400);
        given().header("x-tyk-authorization", SECRET)
                .get(base + "&api_type=soap")
                .then()
                .statusCode(400);
    }

    @Test
    void policiesAreListedByOrganisationFoundByDashboardIdAndByName() {
        given().header("x-tyk-authorization", SECRET)
                .body(
                        """
                        {"id":"bbbbbbbbbbbbbbbbbbbbbbbb","_id":"bbbbbbbbbbbbbbbbbbbbbbbb",
                         "org_id":"org-p","name":"Gold","active":true,"rate":10,"per":1}""")
                .post("/tyk/policies")
                .then()
                .statusCode(200);
        given().header("x-tyk-authorization", SECRET)
                .body(
                        """
                        {"id":"cccccccccccccccccccccccc","_id":"cccccccccccccccccccccccc",
                         "org_id":"org-p","name":"Draft","active":false,"rate":10,"per":1}""")
                .post("/tyk/policies")
                .then()
                .statusCode(200);
        assertEquals(2, get("/gatehouse/policies/search?org_id=org-p").getLong("total"));
        assertEquals(
                List.of("Gold"), names(get("/gatehouse/policies/search?org_id=org-p&active=1")));
        assertEquals(0, get("/gatehouse/policies/search?org_id=org-q").getLong("total"));
        assertEquals(
                "Gold",
                get("/gatehouse/policies/lookup/bbbbbbbbbbbbbbbbbbbbbbbb?org_id=org-p")
                        .getString("document.name"));
        given().header("x-tyk-authorization", SECRET)
                .get("/gatehouse/policies/lookup/bbbbbbbbbbbbbbbbbbbbbbbb?org_id=org-q")
                .then()
                .statusCode(404);
        assertEquals(
                "bbbbbbbbbbbbbbbbbbbbbbbb",
                get("/gatehouse/policies/named?org_id=org-p&name=gold").getString("document._id"));
        given().header("x-tyk-authorization", SECRET)
                .get("/gatehouse/policies/named?org_id=org-q&name=Gold")
                .then()
                .statusCode(404);
    }
}
