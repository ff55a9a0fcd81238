package gatehouse.contracts.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gatehouse.contracts.tyk.TykJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written batch encoder writes exactly what Jackson writes, so readers cannot tell. */
class AnalyticsJsonTest {

    private static AnalyticsRecord record(
            String method,
            String path,
            String userAgent,
            Instant timestamp,
            double total,
            List<String> tags,
            String apiName) {
        return new AnalyticsRecord(
                method,
                "api.example.com:8080",
                path,
                path == null ? null : "/listen" + path,
                42,
                userAgent,
                201,
                "a1b2c3",
                timestamp,
                "",
                apiName,
                "api-1",
                "org-1",
                "",
                total,
                new AnalyticsRecord.Latency(total, total / 3),
                "10.0.0.7",
                new AnalyticsRecord.Network(123, 4567),
                tags,
                "alias",
                true);
    }

    private static String jackson(List<AnalyticsRecord> records) throws Exception {
        return new String(TykJson.MAPPER.writeValueAsBytes(records), StandardCharsets.UTF_8);
    }

    private static String ours(List<AnalyticsRecord> records) {
        return new String(AnalyticsBatch.encode(records), StandardCharsets.UTF_8);
    }

    @Test
    void theSameBytesAsJacksonForTheFieldsAndValuesTheGatewayWrites() throws Exception {
        List<AnalyticsRecord> records =
                List.of(
                        record(
                                "GET",
                                "/x",
                                "wrk",
                                Instant.ofEpochMilli(1_764_777_600_123L),
                                0.4567,
                                List.of("tier-gold", "k"),
                                "Bench"),
                        // whole seconds, whole milliseconds ending in zero, tiny and large numbers
                        record(
                                "POST",
                                "/a/b",
                                "",
                                Instant.ofEpochSecond(1_764_777_600L),
                                1.0E-4,
                                List.of(),
                                "名前"),
                        record(
                                "PUT",
                                "/é/ü?q=1",
                                "curl/8 \"quoted\" back\\slash\ttab\nline\r\b\f\u0001\u001f\u007f",
                                Instant.ofEpochMilli(951_782_400_120L),
                                12345.678,
                                List.of("emoji-\uD83D\uDE00", "x\u0000y"),
                                null),
                        // nulls left out, as NON_NULL does
                        new AnalyticsRecord(
                                null, null, null, null, 0, null, 0, null, null, null, null, null,
                                null, null, 0, null, null, null, null, null, false),
                        record(
                                "DELETE",
                                "/",
                                "ua",
                                Instant.parse("2024-02-29T23:59:59.999999Z"),
                                Double.MIN_VALUE,
                                List.of("a"),
                                "leap"));
        for (AnalyticsRecord one : records) {
            assertEquals(jackson(List.of(one)), ours(List.of(one)));
        }
        assertEquals(jackson(records), ours(records));
        assertEquals(jackson(List.of()), ours(List.of()));
    }

    @Test
    void theSameBytesOverRandomTimesAndDurations() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        List<AnalyticsRecord> records = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            long millis = random.nextLong(0, 4_102_444_800_000L); // 1970 to 2100
            Instant at =
                    i % 3 == 0
                            ? Instant.ofEpochMilli(millis)
                            : Instant.ofEpochSecond(millis / 1000, random.nextInt(1_000_000_000));
            records.add(
                    record(
                            "GET",
                            "/p" + i,
                            "ua" + i,
                            at,
                            random.nextDouble() * Math.pow(10, random.nextInt(-6, 6)),
                            List.of("t" + i),
                            "api"));
        }
        assertEquals(jackson(records), ours(records));
        // and what Jackson reads back is what was written
        assertEquals(records, AnalyticsBatch.decode(AnalyticsBatch.encode(records)));
    }
}
