package gatehouse.gateway.control;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import gatehouse.gateway.EchoOwnersResource;
import gatehouse.gateway.state.NodeIdentity;
import gatehouse.testsupport.GatehouseTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class ReloadTest {

    private static final String SECRET = GatehouseTestResource.ADMIN_SECRET;
    private static final String OK = "{\"status\":\"ok\",\"message\":\"\"}\n";

    @Inject NodeIdentity node;

    @Test
    void aLocalReloadAnswersAsTykAndWaitsWhenAskedTo() {
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/reload")
                .then()
                .statusCode(200)
                .body(equalTo(OK));
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/reload/?block=true")
                .then()
                .statusCode(200)
                .body(equalTo(OK));
        given().get("/tyk/reload").then().statusCode(403);
        given().header("x-tyk-authorization", SECRET)
                .post("/tyk/reload")
                .then()
                .statusCode(405)
                .body(equalTo("{\"status\":\"error\",\"message\":\"Method not supported\"}\n"));
    }

    @Test
    void aBlockingGroupReloadListsTheNodesThatCarriedItOut() {
        // this node must have announced itself before it can be waited for
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                given().header("x-tyk-authorization", SECRET)
                                        .get("/tyk/cluster")
                                        .then()
                                        .statusCode(200)
                                        .body("nodes.node_id", hasItem(node.id())));
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/reload/group?block=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("ok"))
                .body(
                        "nodes.find { it.node_id == '" + node.id() + "' }.acknowledged",
                        equalTo(true));
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/reload/group")
                .then()
                .statusCode(200)
                .body(equalTo(OK));
    }

    @Test
    void theClusterStatusShowsThisNodeLiveAndCaughtUp() {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                given().header("x-tyk-authorization", SECRET)
                                        .get("/tyk/cluster")
                                        .then()
                                        .statusCode(200)
                                        .body(
                                                "nodes.find { it.node_id == '"
                                                        + node.id()
                                                        + "' }.live",
                                                equalTo(true))
                                        .body(
                                                "nodes.find { it.node_id == '"
                                                        + node.id()
                                                        + "' }.ready",
                                                equalTo(true))
                                        .body(
                                                "nodes.find { it.node_id == '"
                                                        + node.id()
                                                        + "' }.lag",
                                                equalTo(0)));
    }
}
