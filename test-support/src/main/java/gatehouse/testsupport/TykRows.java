package gatehouse.testsupport;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.specification.RequestSpecification;

/**
 * The one runner for Tyk compatibility rows, as Tyk's own tests are written: method, path, admin
 * secret, body, expected status and expected body. Rows live in {@code
 * src/test/resources/compat/*.csv} ({@code |}-separated, {@code `} quotes) and run in file order,
 * so a row may rely on the ones before it.
 *
 * <ul>
 *   <li>admin: {@code yes} sends the right secret, {@code wrong} a wrong one, {@code no} none;
 *   <li>expected body: exact text ({@code \n} for a newline), {@code ~fragment} to look for a part,
 *       or empty to skip the check.
 * </ul>
 */
public final class TykRows {

    private TykRows() {}

    public static void check(
            String method, String path, String admin, String body, int status, String expected) {
        check(method, path, admin, null, body, status, expected);
    }

    /** A row with request headers as {@code Name: value; Other: value}. */
    public static void check(
            String method,
            String path,
            String admin,
            String headers,
            String body,
            int status,
            String expected) {
        RequestSpecification request = given().urlEncodingEnabled(false);
        if (headers != null && !headers.isBlank()) {
            for (String header : headers.split(";")) {
                int colon = header.indexOf(':');
                request.header(
                        header.substring(0, colon).trim(), header.substring(colon + 1).trim());
            }
        }
        switch (admin == null ? "no" : admin) {
            case "yes" -> request.header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET);
            case "wrong" ->
                    request.header(
                            "x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET + "-wrong");
            case "no" -> {}
            default ->
                    throw new IllegalArgumentException("admin must be yes, wrong or no: " + admin);
        }
        if (body != null && !body.isEmpty()) {
            request.body(body);
        }
        var response = request.request(method, path);
        String actual = response.asString();
        String row = method + " " + path + " (admin " + admin + ")";
        assertEquals(status, response.statusCode(), row + " answered " + actual);
        if (expected == null || expected.isEmpty()) {
            return;
        }
        if (expected.startsWith("~")) {
            assertTrue(
                    actual.contains(expected.substring(1)),
                    row + ": expected to contain " + expected.substring(1) + " but was " + actual);
        } else {
            assertEquals(expected.replace("\\n", "\n"), actual, row);
        }
    }
}
