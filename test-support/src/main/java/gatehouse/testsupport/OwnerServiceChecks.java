package gatehouse.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Checks every owner service must pass, run by each service's own {@code @QuarkusTest}. */
public final class OwnerServiceChecks {

    private static final String DENIED =
            "{\"status\":\"error\",\"message\":\"Attempted administrative access with invalid or missing key!\"}\n";

    private OwnerServiceChecks() {}

    /**
     * The control path is closed without the secret (Tyk's 403 body) and Go-mux 404 with it when
     * unknown.
     */
    public static void controlApiIsGuarded(String unknownPathWithSecret) {
        given().get(unknownPathWithSecret)
                .then()
                .statusCode(403)
                .contentType("application/json")
                .body(equalTo(DENIED));
        given().header("X-Tyk-Authorization", "wrong")
                .get(unknownPathWithSecret)
                .then()
                .statusCode(403)
                .body(equalTo(DENIED));
        given().header("X-Tyk-Authorization", GatehouseTestResource.ADMIN_SECRET)
                .get(unknownPathWithSecret)
                .then()
                .statusCode(404)
                .body(equalTo("404 page not found\n"));
    }

    /**
     * Readiness is UP and includes the database check, so the schema migration ran against a real
     * server.
     */
    public static void readyWithItsDatabase() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(
                        "checks.name",
                        hasItem(
                                org.hamcrest.Matchers.containsString(
                                        "Reactive PostgreSQL connections health check")));
    }
}
