package gatehouse.dashboard;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Dashboard rows (method, path, auth, body, expected status, expected body, save) in file
 * order, so a row may use what earlier ones created.
 *
 * <ul>
 *   <li>auth: {@code admin} sends the right {@code admin-auth}, {@code wrong-admin} a wrong one,
 *       {@code none} nothing, {@code bad} an unknown credential, {@code user:NAME} the credential
 *       saved as NAME, {@code bearer:NAME} the same after {@code Bearer };
 *   <li>{@code {id:NAME}} in the path, body or expected body is the id saved as NAME;
 *   <li>expected body: exact text ({@code \n} for a newline), {@code ~fragment}, or empty;
 *   <li>save: NAME keeps the answer's id ({@code Meta}, or {@code Meta.id}) and credential ({@code
 *       access_key}, or an Admin API {@code Message}).
 * </ul>
 */
final class DashboardRows {

    static final String ADMIN_SECRET = "test-dashboard-admin-secret";
    private static final Pattern ID = Pattern.compile("\\{id:([a-z0-9-]+)}");

    private final Map<String, String> ids = new HashMap<>();
    private final Map<String, String> keys = new HashMap<>();

    void check(
            String method,
            String path,
            String auth,
            String body,
            int status,
            String expected,
            String save) {
        RequestSpecification request = given().urlEncodingEnabled(false);
        String mode = auth == null ? "none" : auth;
        if (mode.equals("admin")) {
            request.header("admin-auth", ADMIN_SECRET);
        } else if (mode.equals("wrong-admin")) {
            request.header("admin-auth", ADMIN_SECRET + "x");
        } else if (mode.equals("bad")) {
            request.header("authorization", "0123456789abcdef0123456789abcdef");
        } else if (mode.startsWith("user:")) {
            request.header("authorization", key(mode.substring(5)));
        } else if (mode.startsWith("bearer:")) {
            request.header("authorization", "Bearer " + key(mode.substring(7)));
        } else if (!mode.equals("none")) {
            throw new IllegalArgumentException("unknown auth " + auth);
        }
        if (body != null && !body.isEmpty()) {
            request.body(resolve(body));
        }
        String resolvedPath = resolve(path);
        var response = request.request(method, resolvedPath);
        String actual = response.asString();
        String row = method + " " + resolvedPath + " (" + mode + ")";
        assertEquals(status, response.statusCode(), row + " answered " + actual);
        if (expected != null && !expected.isEmpty()) {
            String want = resolve(expected);
            if (want.startsWith("~")) {
                assertTrue(
                        actual.contains(want.substring(1)),
                        row + ": expected to contain " + want.substring(1) + " but was " + actual);
            } else {
                assertEquals(want.replace("\\n", "\n"), actual, row);
            }
        }
        if (save != null && !save.isEmpty()) {
            JsonPath json = JsonPath.from(actual);
            Object meta = json.get("Meta");
            String id = meta instanceof Map<?, ?> user ? (String) user.get("id") : (String) meta;
            String credential = json.getString("access_key");
            if (credential == null && meta instanceof Map<?, ?>) {
                credential = json.getString("Message");
            }
            assertTrue(id != null || credential != null, row + ": nothing to save in " + actual);
            if (id != null) {
                ids.put(save, id);
            }
            if (credential != null) {
                keys.put(save, credential);
            }
        }
    }

    String id(String name) {
        String id = ids.get(name);
        assertNotNull(id, "no id saved as " + name);
        return id;
    }

    String key(String name) {
        String key = keys.get(name);
        assertNotNull(key, "no credential saved as " + name);
        return key;
    }

    private String resolve(String text) {
        Matcher m = ID.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(id(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
