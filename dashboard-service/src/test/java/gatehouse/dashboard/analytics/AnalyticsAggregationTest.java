package gatehouse.dashboard.analytics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.analytics.AnalyticsBatch;
import gatehouse.contracts.analytics.AnalyticsRecord;
import gatehouse.contracts.events.Topics;
import gatehouse.dashboard.analytics.persistence.AggregateWriter;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Records published on {@code gatehouse.analytics} (by this test, as a gateway would) are folded
 * into the aggregates and served as Tyk's activity and usage; counted once however often they are
 * read.
 */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "dashboard"))
class AnalyticsAggregationTest {

    private static final String ADMIN_SECRET = "test-dashboard-admin-secret";

    @Inject AggregateWriter writer;

    @Inject io.agroal.api.AgroalDataSource dataSource;

    private static String org(String name) {
        return JsonPath.from(
                        given().header("admin-auth", ADMIN_SECRET)
                                .body("{\"owner_name\":\"" + name + "\"}")
                                .post("/admin/organisations")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                .getString("Meta");
    }

    private static String user(String orgId) {
        return JsonPath.from(
                        given().header("admin-auth", ADMIN_SECRET)
                                .body(
                                        "{\"org_id\":\""
                                                + orgId
                                                + "\",\"first_name\":\"A\",\"last_name\":\"B\",\"email_address\":\""
                                                + UUID.randomUUID()
                                                + "@example.org\"}")
                                .post("/admin/users")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                .getString("Message");
    }

    private static AnalyticsRecord record(
            String org,
            String api,
            String key,
            String oauth,
            String path,
            boolean tracked,
            int code,
            double ms,
            Instant at) {
        return new AnalyticsRecord(
                "GET",
                "gw",
                path,
                "/" + api + path,
                0,
                "test",
                code,
                key,
                at,
                "",
                "API " + api,
                api,
                org,
                oauth,
                ms,
                new AnalyticsRecord.Latency(ms, ms / 2),
                "127.0.0.1",
                new AnalyticsRecord.Network(10, 20),
                List.of(),
                "",
                tracked);
    }

    private static void publish(List<AnalyticsRecord> records) throws Exception {
        Properties properties = new Properties();
        properties.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().kafkaBootstrap());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer =
                new KafkaProducer<>(
                        properties, new StringSerializer(), new ByteArraySerializer())) {
            Map<String, List<AnalyticsRecord>> byApi = new java.util.LinkedHashMap<>();
            records.forEach(r -> byApi.computeIfAbsent(r.apiId(), a -> new ArrayList<>()).add(r));
            for (var batch : byApi.entrySet()) {
                producer.send(
                                new ProducerRecord<>(
                                        Topics.ANALYTICS.name(),
                                        batch.getKey(),
                                        AnalyticsBatch.encode(batch.getValue())))
                        .get();
            }
        }
    }

    private static String today() {
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        return day.getDayOfMonth() + "/" + day.getMonthValue() + "/" + day.getYear();
    }

    private static JsonPath getUntil(
            String key, String path, java.util.function.Predicate<JsonPath> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonPath last = null;
        while (Instant.now().isBefore(deadline)) {
            last =
                    JsonPath.from(
                            given().header("authorization", key)
                                    .get(path)
                                    .then()
                                    .statusCode(200)
                                    .extract()
                                    .asString());
            if (done.test(last)) {
                return last;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError(
                "no answer met the condition in time: " + (last == null ? null : last.prettify()));
    }

    @Test
    void recordsAreCountedAsTykCountsThemPerApiKeyClientAndEndpoint() throws Exception {
        String orgId = org("Analytics Co");
        String key = user(orgId);
        String api = "api" + UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.now();
        List<AnalyticsRecord> sent = new ArrayList<>();
        // 3x 200 tracked on /items by key k1, 1x 302, 2x 404 untracked, 1x 503 by OAuth client c1
        for (int i = 0; i < 3; i++) {
            sent.add(record(orgId, api, "k1hash", "", "/items", true, 200, 2 + i, now));
        }
        sent.add(record(orgId, api, "k1hash", "", "/items", true, 302, 1, now));
        sent.add(record(orgId, api, "k1hash", "", "/other", false, 404, 1, now));
        sent.add(record(orgId, api, "", "", "/other", false, 404, 1, now));
        sent.add(record(orgId, api, "tokhash", "c1", "/items", true, 503, 9, now));
        // another organisation's request to another API: never in this org's answers
        sent.add(record("other-org", "foreign" + api, "k1hash", "", "/items", true, 200, 1, now));
        publish(sent);

        String dates = today() + "/" + today();
        JsonPath usage =
                getUntil(
                        key,
                        "/api/usage/apis/" + dates + "?p=-1",
                        json ->
                                json.getList("data").size() == 1
                                        && json.getInt("data[0].hits") == 7);
        assertEquals(api, usage.getString("data[0].id.api_id"));
        assertEquals("API " + api, usage.getString("data[0].id.api_name"));
        assertEquals(3, usage.getInt("data[0].success"), "2xx only");
        assertEquals(3, usage.getInt("data[0].error"), "404, 404, 503: a 302 is neither");
        assertEquals(
                (2 + 3 + 4 + 1 + 1 + 1 + 9) / 7.0, usage.getDouble("data[0].request_time"), 1e-9);
        assertEquals(9, usage.getLong("data[0].max_latency"));
        assertEquals(2, usage.getLong("data[0].min_latency"), "only a 2xx lowers the minimum");
        assertEquals(1, usage.getInt("pages"));

        JsonPath keyActivity = getUntil(key, "/api/activity/keys/k1hash/" + dates, json -> true);
        assertEquals(
                1,
                keyActivity.getList("data").size(),
                "only the tracked endpoint: " + keyActivity.prettify());
        assertEquals("/items", keyActivity.getString("data[0].id.path"));
        assertEquals(4, keyActivity.getInt("data[0].hits"));
        assertEquals(3, keyActivity.getInt("data[0].success"));
        assertEquals(0, keyActivity.getInt("data[0].error"));

        JsonPath client = getUntil(key, "/api/activity/oauthid/c1/" + dates, json -> true);
        assertEquals(1, client.getInt("data[0].hits"));
        assertEquals(1, client.getInt("data[0].error"));

        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        JsonPath hours =
                getUntil(key, "/api/usage/apis/" + api + "/" + dates + "?res=hour", json -> true);
        assertEquals(1, hours.getList("data").size());
        assertEquals(day.getYear(), hours.getInt("data[0].id.year"));
        assertEquals(now.atOffset(ZoneOffset.UTC).getHour(), hours.getInt("data[0].id.hour"));
        assertEquals(7, hours.getInt("data[0].hits"));

        JsonPath keySeries =
                getUntil(key, "/api/usage/keys/k1hash/" + dates + "?res=day", json -> true);
        assertEquals(5, keySeries.getInt("data[0].hits"), "this org's requests of the key only");

        // another organisation's API is refused; a key hash with path noise cannot be decoded
        given().header("authorization", key)
                .get("/api/usage/apis/foreign" + api + "/" + dates)
                .then()
                .statusCode(403)
                .body(
                        "Message",
                        org.hamcrest.Matchers.equalTo(
                                "User does not have access to the API with ID."));
        given().header("authorization", key)
                .get("/api/activity/keys/k1%20hash/" + dates)
                .then()
                .statusCode(400)
                .body("Message", org.hamcrest.Matchers.equalTo("Key could not be decoded."));
        given().header("authorization", key)
                .get("/api/usage/apis/31/2/2026/1/3/2026")
                .then()
                .statusCode(400);
        given().get("/api/usage/apis/" + dates).then().statusCode(401);
    }

    @Test
    void aReplayedBatchIsCountedOnce() throws Exception {
        String orgId = org("Replay Co");
        String key = user(orgId);
        String api = "replay" + UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.now();
        var batch =
                new AggregateWriter.Batch(
                        1_000_000,
                        List.of(
                                record(orgId, api, "", "", "/", false, 200, 1, now),
                                record(orgId, api, "", "", "/", false, 500, 1, now)));
        // a partition no gateway writes to: the two writes are one poll and its replay
        var slice = new AggregateWriter.Slice(99, List.of(batch));
        assertEquals(2, writer.write("replay-test", List.of(slice), false));
        assertEquals(0, writer.write("replay-test", List.of(slice), false), "already counted");
        assertEquals(1_000_001L, writer.positions("replay-test").get(99));
        JsonPath usage = getUntil(key, "/api/usage/apis/" + today() + "/" + today(), json -> true);
        assertEquals(2, usage.getInt("data[0].hits"));
        assertTrue(usage.getInt("data[0].error") == 1);
    }

    @Test
    void aLargePollIsStoredWholeRawRecordsIncluded() throws Exception {
        String orgId = org("Large Poll Co");
        String api = "large" + UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.now();
        // eleven gateway batches of 500, past several raw-insert chunks, in one transaction
        List<AggregateWriter.Batch> batches = new ArrayList<>();
        for (int b = 0; b < 11; b++) {
            List<AnalyticsRecord> records = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                records.add(
                        record(orgId, api, "", "", "/", false, i % 10 == 0 ? 500 : 200, 1, now));
            }
            batches.add(new AggregateWriter.Batch(2_000_000 + b, records));
        }
        var slice = new AggregateWriter.Slice(98, batches);
        assertEquals(5_500, writer.write("large-poll-test", List.of(slice), true));
        try (var connection = dataSource.getConnection();
                var count =
                        connection.prepareStatement(
                                "SELECT count(*), count(*) FILTER (WHERE response_code = 500)"
                                        + " FROM analytics_records WHERE api_id = ?")) {
            count.setString(1, api);
            var rows = count.executeQuery();
            rows.next();
            assertEquals(5_500, rows.getLong(1), "every raw record stored");
            assertEquals(550, rows.getLong(2));
        }
        assertEquals(2_000_011L, writer.positions("large-poll-test").get(98));
    }
}
