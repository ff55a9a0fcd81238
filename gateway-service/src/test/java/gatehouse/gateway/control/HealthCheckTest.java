package gatehouse.gateway.control;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import gatehouse.gateway.EchoOwnersResource;
import gatehouse.testsupport.GatehouseTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** With Tyk's default configuration per-API health checks are off. */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class HealthCheckTest {

    @Test
    void perApiHealthIsOffByDefaultAsInTyk() {
        given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                .get("/tyk/health/?api_id=x")
                .then()
                .statusCode(400)
                .body(
                        equalTo(
                                "{\"status\":\"error\",\"message\":\"Health checks are not enabled for this node\"}\n"));
        given().get("/tyk/health?api_id=x").then().statusCode(403);
    }
}
