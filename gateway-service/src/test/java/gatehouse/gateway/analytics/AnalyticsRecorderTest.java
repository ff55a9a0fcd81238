package gatehouse.gateway.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.analytics.AnalyticsBatch;
import gatehouse.contracts.analytics.AnalyticsRecord;
import gatehouse.contracts.tyk.ApiDefinition;
import gatehouse.gateway.routing.ApiRoute;
import gatehouse.gateway.routing.Versioning;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The request side of analytics: sampling, endpoint decisions, the bounded buffer, the record. */
class AnalyticsRecorderTest {

    private static final AnalyticsSettings.Producer PRODUCER =
            new AnalyticsSettings.Producer(
                    "lz4",
                    Duration.ofMillis(20),
                    Duration.ofMillis(100),
                    1 << 20,
                    Duration.ofSeconds(120));

    private static AnalyticsSettings settings(double sampleRate, int bufferSize) {
        return new AnalyticsSettings(
                true, sampleRate, bufferSize, 100, Duration.ofMillis(100), PRODUCER);
    }

    private static final ApiRoute ROUTE =
            route(
                    """
                    {"api_id":"shop","name":"Shop","org_id":"o1","use_keyless":true,
                     "tag_headers":["X-Team"],
                     "proxy":{"listen_path":"/shop/","target_url":"http://127.0.0.1:1"},
                     "version_data":{"not_versioned":true,"versions":{"Default":{"name":"Default",
                       "use_extended_paths":true,"extended_paths":{
                         "track_endpoints":[{"path":"/orders/{id}","method":"GET"}],
                         "do_not_track_endpoints":[{"path":"/health","method":"GET"}]}}}}}""");

    private static ApiRoute route(String json) {
        try {
            return ApiRoute.of(ApiDefinition.parse(json), 1, Versioning.Matching.TYK_DEFAULTS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RequestTrace trace(
            AnalyticsRecorder recorder,
            String method,
            String afterListen,
            String realIp,
            String forwardedFor,
            String team) {
        return new RequestTrace(
                recorder,
                null,
                ROUTE,
                "/shop" + afterListen,
                afterListen,
                System.nanoTime() - 3_000_000,
                1_700_000_000_123L,
                method,
                HostAndPort.create("gw.example", 8080),
                "/shop" + afterListen,
                "12",
                "curl/8",
                realIp,
                forwardedFor,
                SocketAddress.inetSocketAddress(40000, "10.0.0.9"),
                new String[] {team});
    }

    @Test
    void theSampleRateIsAProbability() {
        assertTrue(settings(1, 16).sampled(0.999999));
        assertFalse(settings(0, 16).sampled(0));
        var quarter = settings(0.25, 16);
        int taken = 0;
        int draws = 100_000;
        for (int i = 0; i < draws; i++) {
            if (quarter.sampled(ThreadLocalRandom.current().nextDouble())) {
                taken++;
            }
        }
        // the binomial's standard deviation is 0.0014 here: 0.02 is more than 14 of them
        assertEquals(0.25, taken / (double) draws, 0.02);
        assertThrows(IllegalArgumentException.class, () -> settings(1.5, 16));
        assertThrows(IllegalArgumentException.class, () -> settings(-0.1, 16));
        assertThrows(IllegalArgumentException.class, () -> settings(Double.NaN, 16));
    }

    @Test
    void aFullBufferDropsAndCountsInsteadOfWaiting() {
        var recorder = new AnalyticsRecorder(settings(1, 4), true, "unused:9092", "n1");
        for (int i = 0; i < 6; i++) {
            trace(recorder, "GET", "/items/" + i, null, null, null)
                    .finish(200, 0, 2, System.nanoTime());
        }
        var figures = recorder.figures();
        assertEquals(6, figures.recorded());
        assertEquals(2, figures.dropped());
        assertEquals(4, figures.queued());
        assertEquals(0, figures.sent());
        // the first four wait, in order
        for (int i = 0; i < 4; i++) {
            assertEquals("/items/" + i, recorder.poll().afterListen);
        }
        assertNull(recorder.poll());
    }

    @Test
    void anUntrackedEndpointIsNotRecordedAndATrackedOneCarriesItsPattern() {
        var recorder = new AnalyticsRecorder(settings(1, 16), true, "unused:9092", "n1");
        trace(recorder, "GET", "/health", null, null, null).finish(200, 0, 2, System.nanoTime());
        assertEquals(0, recorder.figures().recorded());
        assertNull(recorder.poll());

        trace(recorder, "GET", "/orders/42", null, null, null).finish(200, 0, 2, System.nanoTime());
        AnalyticsRecord tracked = recorder.poll().toRecord();
        assertTrue(tracked.trackPath());
        assertEquals("/orders/{id}", tracked.path());

        trace(recorder, "POST", "/orders/42", null, null, null)
                .finish(201, 5, 2, System.nanoTime());
        AnalyticsRecord plain = recorder.poll().toRecord();
        assertFalse(plain.trackPath());
        assertEquals("/orders/42", plain.path());
    }

    @Test
    void theRecordCarriesTykFieldsAndNoKeyForAKeylessApi() {
        var recorder = new AnalyticsRecorder(settings(1, 16), true, "unused:9092", "n1");
        var trace = trace(recorder, "PUT", "/items/7", null, "203.0.113.5, 10.0.0.1", "blue");
        trace.version(null);
        trace.upstreamSent();
        trace.upstreamAnswered();
        trace.finish(503, 12, 40, System.nanoTime());
        AnalyticsRecord record = recorder.poll().toRecord();
        assertEquals("PUT", record.method());
        assertEquals("gw.example:8080", record.host());
        assertEquals("/items/7", record.path());
        assertEquals("/shop/items/7", record.rawPath());
        assertEquals(12, record.contentLength());
        assertEquals("curl/8", record.userAgent());
        assertEquals(503, record.responseCode());
        assertEquals("", record.apiKey());
        assertEquals("", record.oauthId());
        assertEquals("", record.alias());
        assertEquals("", record.apiVersion());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), record.timestamp());
        assertEquals("Shop", record.apiName());
        assertEquals("shop", record.apiId());
        assertEquals("o1", record.orgId());
        assertEquals("203.0.113.5", record.ipAddress());
        assertEquals(new AnalyticsRecord.Network(12, 40), record.network());
        assertEquals(List.of("x-team-blue"), record.tags());
        assertTrue(record.requestTime() >= 3, "request time " + record.requestTime());
        assertEquals(record.requestTime(), record.latency().total());
        assertTrue(record.latency().upstream() >= 0);
        assertTrue(record.latency().upstream() <= record.latency().total());
        // and the batch the topic carries reads back the same
        assertEquals(
                List.of(record), AnalyticsBatch.decode(AnalyticsBatch.encode(List.of(record))));
    }

    @Test
    void theClientAddressIsTheRealIpThenTheFirstForwardedHopThenThePeer() {
        var recorder = new AnalyticsRecorder(settings(1, 16), true, "unused:9092", "n1");
        trace(recorder, "GET", "/a", " 198.51.100.7 ", "203.0.113.5", null)
                .finish(200, 0, 0, System.nanoTime());
        trace(recorder, "GET", "/a", null, null, null).finish(200, 0, 0, System.nanoTime());
        assertEquals("198.51.100.7", recorder.poll().toRecord().ipAddress());
        AnalyticsRecord peer = recorder.poll().toRecord();
        assertEquals("10.0.0.9", peer.ipAddress());
        // no tag when the tag header is absent
        assertEquals(List.of(), peer.tags());
        assertEquals(0, peer.latency().upstream());
    }

    @Test
    void lz4FallsBackToGzipWhenItIsNotOnTheClassPath() {
        boolean lz4 = onClassPath("net.jpountz.lz4.LZ4Factory");
        assertEquals(lz4 ? "lz4" : "gzip", AnalyticsShipper.compression("lz4"));
        assertEquals("gzip", AnalyticsShipper.compression("gzip"));
    }

    private static boolean onClassPath(String name) {
        try {
            Class.forName(name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
