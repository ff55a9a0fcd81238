package gatehouse.testsupport;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gatehouse.contracts.tyk.TykJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runner for hostile-input rows ({@code src/test/resources/compat/*-hostile.csv}): method,
 * path, body, expected status, expected message, and whether the request may change state. Every
 * row, whatever it sends, must be answered below 500; a refusal (4xx) must be Tyk's {@code
 * {"status":"error","message":...}} envelope and leave the state as it was (the snapshot taken
 * before equals the one taken after).
 *
 * <p>Paths and bodies may hold macros: {@code ${name}} for a variable of the test, {@code
 * ${rep:C:N}} for N copies of the text C, {@code ${deepobj:N}} for objects nested N deep, {@code
 * ${hex:00ff}} for raw bytes (in bodies: sent as they are, invalid UTF-8 included).
 */
public final class HostileRows {

    private static final Pattern MACRO = Pattern.compile("\\$\\{([a-z]+)(?::([^}]*))?}");

    private HostileRows() {}

    public static void check(
            String method,
            String path,
            String body,
            int status,
            String expected,
            String state,
            Map<String, String> variables,
            Supplier<String> snapshot) {
        String url = new String(expand(path, variables), StandardCharsets.UTF_8);
        byte[] payload = body == null || body.isEmpty() ? null : expand(body, variables);
        String before = snapshot.get();
        var request =
                given().urlEncodingEnabled(false)
                        .header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                        .contentType("application/json");
        if (payload != null) {
            request.body(payload);
        }
        var response = request.request(method, url);
        String actual = response.asString();
        String row =
                method
                        + " "
                        + (path.length() > 120 ? path.substring(0, 120) + "…" : path)
                        + " "
                        + (body == null
                                ? ""
                                : body.length() > 120 ? body.substring(0, 120) + "…" : body);
        assertTrue(
                response.statusCode() < 500,
                row + " answered a 5xx: " + response.statusCode() + " " + actual);
        assertEquals(status, response.statusCode(), row + " answered " + actual);
        if (status >= 400) {
            assertTrue(actual.endsWith("\n"), row + ": Tyk's bodies end with a newline: " + actual);
            JsonNode envelope;
            try {
                envelope = TykJson.MAPPER.readTree(actual);
            } catch (Exception e) {
                throw new AssertionError(row + ": not JSON: " + actual, e);
            }
            assertTrue(
                    envelope.isObject()
                            && envelope.size() == 2
                            && "error".equals(envelope.path("status").asText(null))
                            && envelope.path("message").isTextual(),
                    row + ": not Tyk's error envelope: " + actual);
            String message = envelope.path("message").asText();
            if (expected != null && !expected.isEmpty()) {
                if (expected.startsWith("~")) {
                    assertTrue(
                            message.contains(expected.substring(1)), row + ": message " + message);
                } else {
                    assertEquals(expected, message, row);
                }
            }
        } else if (expected != null && !expected.isEmpty()) {
            assertTrue(
                    actual.contains(expected.startsWith("~") ? expected.substring(1) : expected),
                    row + ": " + actual);
        }
        if ("same".equals(state)) {
            assertEquals(before, snapshot.get(), row + ": a refused request changed the state");
        } else if (!"changed".equals(state)) {
            throw new IllegalArgumentException("state must be same or changed: " + state);
        }
    }

    public static byte[] expand(String text, Map<String, String> variables) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Matcher m = MACRO.matcher(text);
        int last = 0;
        while (m.find()) {
            out.writeBytes(text.substring(last, m.start()).getBytes(StandardCharsets.UTF_8));
            String name = m.group(1);
            String arg = m.group(2);
            switch (name) {
                case "rep" -> {
                    int colon = arg.lastIndexOf(':');
                    out.writeBytes(
                            arg.substring(0, colon)
                                    .repeat(Integer.parseInt(arg.substring(colon + 1)))
                                    .getBytes(StandardCharsets.UTF_8));
                }
                case "hex" -> out.writeBytes(HexFormat.of().parseHex(arg));
                case "deepobj" -> {
                    int depth = Integer.parseInt(arg);
                    out.writeBytes(
                            ("{\"a\":".repeat(depth) + "1" + "}".repeat(depth))
                                    .getBytes(StandardCharsets.UTF_8));
                }
                default -> {
                    String value = variables.get(name);
                    if (value == null) {
                        throw new IllegalArgumentException("unknown macro " + m.group());
                    }
                    out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
                }
            }
            last = m.end();
        }
        out.writeBytes(text.substring(last).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
