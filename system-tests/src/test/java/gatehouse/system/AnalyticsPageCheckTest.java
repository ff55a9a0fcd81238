package gatehouse.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.system.AnalyticsPageCheck.ApiFigures;
import gatehouse.system.AnalyticsPageCheck.HourFigures;
import gatehouse.system.AnalyticsPageCheck.Page;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * AnalyticsPageCheck's reading of the DOM, on DOMs chromium dumped of the real page (analytics.js
 * over two APIs, 3 hours; and over a refused key). The figures there came from a scratch server, so
 * this tests the parsing only; AnalyticsIT reads the page over the real endpoints.
 */
class AnalyticsPageCheckTest {

    @Test
    void readsEveryRowWithItsChart() {
        Page page = AnalyticsPageCheck.parse(dom("analytics-page-ready.html"));

        assertEquals("ready", page.state());
        assertNull(page.message());
        assertEquals(2, page.apis().size());
        ApiFigures first = page.apis().get(0);
        assertEquals("a1", first.apiId());
        // escaped by the browser, unescaped by the check: the name is the API's own
        assertEquals("Keyless <b>x</b> & \"q\" é", first.apiName());
        assertEquals(List.of(10L, 7L, 2L), List.of(first.hits(), first.success(), first.errors()));
        assertEquals(12.4, first.meanLatencyMs());
        assertEquals(List.of(4L, 0L, 6L), first.hours().stream().map(HourFigures::hits).toList());
        for (int i = 1; i < first.hours().size(); i++) {
            assertEquals(
                    Duration.ofHours(1),
                    Duration.between(first.hours().get(i - 1).hour(), first.hours().get(i).hour()));
        }
        ApiFigures second = page.apis().get(1);
        assertEquals("Other", second.apiName());
        assertEquals(
                List.of(3L, 3L, 0L), List.of(second.hits(), second.success(), second.errors()));
        assertEquals(4.0, second.meanLatencyMs());
    }

    @Test
    void aRefusedKeyIsTheErrorStateWithTyksText() {
        Page page = AnalyticsPageCheck.parse(dom("analytics-page-401.html"));

        assertEquals("error", page.state());
        assertEquals("HTTP 401: Not authorised", page.message());
        assertEquals(List.of(), page.apis());
    }

    @Test
    void aRowItsChartDoesNotAddUpToIsRefused() {
        String dom =
                dom("analytics-page-ready.html")
                        .replace(
                                "<td class=\"hits num\">10</td>", "<td class=\"hits num\">11</td>");

        AssertionError e = assertThrows(AssertionError.class, () -> AnalyticsPageCheck.parse(dom));
        assertTrue(e.getMessage().contains("the chart of a1 adds up to 10 hits"), e.getMessage());
    }

    @Test
    void aRowWithoutAChartIsRefused() {
        String dom =
                dom("analytics-page-ready.html")
                        .replace(
                                "<svg viewBox=\"0 0 720 284\" role=\"img\" data-api-id=\"a2\"",
                                "<svg");

        AssertionError e = assertThrows(AssertionError.class, () -> AnalyticsPageCheck.parse(dom));
        assertTrue(e.getMessage().contains("a2 has no chart"), e.getMessage());
    }

    @Test
    void entitiesAreUnescaped() {
        assertEquals(
                "a<b>&\"c\" é\u00a0",
                AnalyticsPageCheck.text("a&lt;b&gt;&amp;&quot;c&quot; &#233;&nbsp;"));
    }

    private static String dom(String name) {
        try (InputStream in = AnalyticsPageCheckTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
