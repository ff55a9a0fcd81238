package gatehouse.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gatehouse.local.Suite;
import gatehouse.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The Dashboard's {@code /api} over what the other services own (issue 11 item 2), end to end: the
 * packaged owners and dashboard-service as processes on a real broker and PostgreSQL. Rows of
 * {@code compat/dashboard-*.csv} in file order, the files one after another (the first sets up two
 * organisations and their users; every call is tried across them and under read and deny), then the
 * first page of 10,000 APIs through the Dashboard.
 *
 * <p>A row's {@code save} column names what it creates: {@code name} keeps the envelope's {@code
 * Meta} (or {@code Meta.id}; {@code ID} as {@code {api:name}}; {@code Meta.access_key} as the
 * user's credential), {@code name=a.b} keeps the answer's field {@code a.b} as {@code {id:name}}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final String DASHBOARD_SECRET = "it-dashboard-admin-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REF = Pattern.compile("\\{(id|api):([a-z0-9-]+)}");
    private static final int MANY = 10_000;

    private static RunningSuite running;
    private static Suite.Service dashboard;
    private static String dashboardDatabase;
    private static final Map<String, String> IDS = new HashMap<>();
    private static final Map<String, String> API_IDS = new HashMap<>();
    private static final Map<String, String> KEYS = new HashMap<>();

    @BeforeAll
    static void start() {
        running = RunningSuite.start(0);
        dashboardDatabase = TestInfrastructure.get().freshDatabase("gatehouse_it_dashboard");
        dashboard =
                running.suite.startDashboard(
                        0, dashboardDatabase, DASHBOARD_SECRET, RunningSuite.START);
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
        if (dashboardDatabase != null) {
            TestInfrastructure.get().postgres().dropDatabase(dashboardDatabase);
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0} {1} ({2}) -> {4}")
    @CsvFileSource(
            resources = {
                "/compat/dashboard-api.csv",
                "/compat/dashboard-policies.csv",
                "/compat/dashboard-keys.csv",
                "/compat/dashboard-oauth.csv"
            },
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void rows(
            String method,
            String path,
            String auth,
            String body,
            int status,
            String expected,
            String save)
            throws Exception {
        String resolvedPath = resolve(path);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(dashboard.url().resolve(resolvedPath))
                        .timeout(Duration.ofSeconds(10))
                        .method(
                                method,
                                body == null || body.isEmpty()
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(resolve(body)));
        String mode = auth == null || auth.isEmpty() ? "none" : auth;
        if (mode.equals("admin")) {
            request.header("admin-auth", DASHBOARD_SECRET);
        } else if (mode.startsWith("user:")) {
            request.header("authorization", key(mode.substring(5)));
        } else if (!mode.equals("none")) {
            throw new IllegalArgumentException("unknown auth " + auth);
        }
        HttpResponse<String> response = RunningSuite.send(request.build());
        String actual = response.body();
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
        if (save != null && save.contains("=")) {
            String[] named = save.split("=", 2);
            JsonNode node = JSON.readTree(actual);
            for (String part : named[1].split("\\.")) {
                node = node.isArray() ? node.path(Integer.parseInt(part)) : node.path(part);
            }
            assertTrue(node.isValueNode(), row + ": no " + named[1] + " to save in " + actual);
            IDS.put(named[0], node.asText());
        } else if (save != null && !save.isEmpty()) {
            JsonNode answer = JSON.readTree(actual);
            JsonNode meta = answer.path("Meta");
            String id = meta.isObject() ? meta.path("id").asText(null) : meta.asText(null);
            assertNotNull(id, row + ": no id to save in " + actual);
            IDS.put(save, id);
            if (answer.hasNonNull("ID")) {
                API_IDS.put(save, answer.get("ID").asText());
            }
            String credential = meta.isObject() ? meta.path("access_key").asText(null) : null;
            if (credential != null) {
                KEYS.put(save, credential);
            }
        }
    }

    @Test
    @Order(2)
    void theFirstPageOfTenThousandApisAnswersWellUnderASecond() throws Exception {
        String org = created("/admin/organisations", "{\"owner_name\":\"Org Many\"}", "Meta");
        String user =
                created(
                        "/admin/users",
                        """
                        {"org_id":"%s","first_name":"Max","last_name":"Many",
                         "email_address":"max@many.test","user_permissions":{"apis":"read"}}"""
                                .formatted(org),
                        "Meta.access_key");
        // seeded in admin-service's own database: this measures the read, not 10,000 writes
        var pg = TestInfrastructure.get().postgres();
        try (var connection =
                        DriverManager.getConnection(
                                pg.jdbcUrl(running.databaseOf.get(Suite.Owner.ADMIN)),
                                pg.user(),
                                pg.password());
                var insert =
                        connection.prepareStatement(
                                "insert into api_definition (api_id, org_id, listen_path, document,"
                                        + " version, created_at, updated_at)"
                                        + " select 'many-' || i, ?, '/many-' || i || '/',"
                                        + " json_build_object('api_id', 'many-' || i, 'org_id', ?,"
                                        + " 'name', 'Many ' || i)::text, 1,"
                                        + " now() - (20000 - i) * interval '1 second', now()"
                                        + " from generate_series(1, ?) i")) {
            insert.setString(1, org);
            insert.setString(2, org);
            insert.setInt(3, MANY);
            assertEquals(MANY, insert.executeUpdate());
        }
        JsonNode page = firstPage("/api/apis?p=1", user, String.format("%d APIs", MANY), 300, 1000);
        assertEquals(MANY / 10, page.path("pages").asInt());
        assertEquals(10, page.path("apis").size());
        assertEquals(
                "Many " + MANY,
                page.path("apis").get(0).path("api_definition").path("name").asText());
    }

    @Test
    @Order(3)
    void theFirstPageOfOneHundredThousandKeysAnswersWellUnderASecond() throws Exception {
        int keys = 100_000;
        String org = created("/admin/organisations", "{\"owner_name\":\"Org Many Keys\"}", "Meta");
        String user =
                created(
                        "/admin/users",
                        """
                        {"org_id":"%s","first_name":"Kay","last_name":"Many",
                         "email_address":"kay@many-keys.test","user_permissions":{"keys":"read"}}"""
                                .formatted(org),
                        "Meta.access_key");
        // seeded in keys-service's own database (digests and hashes made up: no raw key exists)
        var pg = TestInfrastructure.get().postgres();
        String firstHash;
        try (var connection =
                DriverManager.getConnection(
                        pg.jdbcUrl(running.databaseOf.get(Suite.Owner.KEYS)),
                        pg.user(),
                        pg.password())) {
            try (var insert =
                    connection.prepareStatement(
                            "insert into api_key (key_id, key_hash, org_id, session, quotas,"
                                    + " version, created_at, updated_at)"
                                    + " select md5('digest-' || i) || md5('more-' || i),"
                                    + " substr(md5('hash-' || i), 1, 16), ?,"
                                    + " json_build_object('org_id', ?, 'alias', 'many ' || i,"
                                    + " 'access_rights', json_build_object('many-keys-api',"
                                    + " json_build_object('api_id', 'many-keys-api')))::text,"
                                    + " '{}', 1, now(), now() from generate_series(1, ?) i")) {
                insert.setString(1, org);
                insert.setString(2, org);
                insert.setInt(3, keys);
                assertEquals(keys, insert.executeUpdate());
            }
            try (var first =
                    connection.prepareStatement(
                            "select min(key_hash) from api_key where org_id = ?")) {
                first.setString(1, org);
                try (var result = first.executeQuery()) {
                    assertTrue(result.next());
                    firstHash = result.getString(1);
                }
            }
        }
        JsonNode page =
                firstPage("/api/apis/keys?p=1", user, String.format("%d keys", keys), 300, 1000);
        assertEquals(keys / 10, page.path("pages").asInt());
        assertEquals(10, page.path("data").path("keys").size());
        assertEquals(firstHash, page.path("data").path("keys").get(0).asText());
    }

    /**
     * GETs a first page 21 times as the user, prints the first, median and slowest call, asserts
     * the median and the slowest under their bounds, and answers the last page read.
     */
    private static JsonNode firstPage(
            String path, String user, String what, long medianBound, long slowestBound)
            throws Exception {
        URI first = dashboard.url().resolve(path);
        long[] millis = new long[21];
        JsonNode page = null;
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response =
                    RunningSuite.send(
                            HttpRequest.newBuilder(first)
                                    .header("authorization", user)
                                    .timeout(Duration.ofSeconds(10))
                                    .build());
            millis[i] = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, response.statusCode(), response.body());
            page = JSON.readTree(response.body());
        }
        long firstCall = millis[0];
        Arrays.sort(millis);
        long median = millis[millis.length / 2];
        long slowest = millis[millis.length - 1];
        System.out.printf(
                "DashboardIT: GET %s first page of %s: first call %d ms, median %d ms, max %d ms"
                        + " over %d calls%n",
                path.replaceFirst("\\?.*", ""), what, firstCall, median, slowest, millis.length);
        assertTrue(median < medianBound, "median " + median + " ms");
        assertTrue(slowest < slowestBound, "slowest " + slowest + " ms");
        return page;
    }

    private static String created(String path, String body, String field) throws Exception {
        HttpResponse<String> response =
                RunningSuite.send(
                        HttpRequest.newBuilder(dashboard.url().resolve(path))
                                .header("admin-auth", DASHBOARD_SECRET)
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode node = JSON.readTree(response.body());
        for (String part : field.split("\\.")) {
            node = node.path(part);
        }
        assertTrue(node.isTextual(), path + " gave no " + field + ": " + response.body());
        return node.asText();
    }

    private static String key(String name) {
        String key = KEYS.get(name);
        assertNotNull(key, "no credential saved as " + name);
        return key;
    }

    private static String resolve(String text) {
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Map<String, String> names = m.group(1).equals("id") ? IDS : API_IDS;
            String value = names.get(m.group(2));
            assertNotNull(value, "nothing saved as " + m.group(0));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
