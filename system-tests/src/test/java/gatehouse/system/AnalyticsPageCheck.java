package gatehouse.system;

import gatehouse.testsupport.HeadlessChromium;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The analytics page (dashboard-service's {@code /analytics/}) as a user's browser shows it: loaded
 * in headless chromium with the access key in the fragment, its table rows and its charts' points
 * read back from the DOM. {@link #read} is what an end-to-end test compares with the requests it
 * sent; it also checks that each chart says what its table row says. Without chromium the calling
 * test is skipped (JUnit assumption) with a message naming the package to install.
 */
final class AnalyticsPageCheck {

    /** The page's default window. */
    static final int DEFAULT_HOURS = 24;

    /** One hour of an API's chart (a {@code <g class="point">} of its SVG). */
    record HourFigures(Instant hour, long hits, long success, long errors, double meanLatencyMs) {}

    /**
     * One row of the page's table and its chart.
     *
     * @param meanLatencyMs the mean request time over the window, as the page shows it (1 decimal)
     * @param hours the chart's points, oldest first, one per hour of the window
     */
    record ApiFigures(
            String apiId,
            String apiName,
            long hits,
            long success,
            long errors,
            double meanLatencyMs,
            List<HourFigures> hours) {}

    /**
     * What the page shows once its scripts ran.
     *
     * @param state the body's data-state: ready, error, idle (no key) or loading (not finished)
     * @param message the visible message (an error's "HTTP 401: Not authorised"), or null
     */
    record Page(String state, String message, List<ApiFigures> apis) {}

    private AnalyticsPageCheck() {}

    /** The figures of the last {@value #DEFAULT_HOURS} hours, per API, as the page shows them. */
    static List<ApiFigures> read(URI dashboard, String accessKey) {
        return read(dashboard, accessKey, DEFAULT_HOURS);
    }

    /**
     * The figures of the last {@code hours} hours; an AssertionError when the page is not ready.
     */
    static List<ApiFigures> read(URI dashboard, String accessKey, int hours) {
        Page page = load(dashboard, accessKey, hours);
        if (!"ready".equals(page.state())) {
            throw new AssertionError(
                    "the analytics page is " + page.state() + ": " + page.message());
        }
        return page.apis();
    }

    /** The page in whatever state it ended in (for a refused key: error and Tyk's text). */
    static Page load(URI dashboard, String accessKey, int hours) {
        HeadlessChromium chromium = HeadlessChromium.require("the analytics page check");
        URI page =
                URI.create(
                        dashboard.resolve("/analytics/")
                                + "#key="
                                + URLEncoder.encode(accessKey, StandardCharsets.UTF_8)
                                + "&hours="
                                + hours);
        return parse(chromium.dumpDom(page));
    }

    private static final Pattern STATE = Pattern.compile("<body[^>]*\\sdata-state=\"([^\"]*)\"");
    private static final Pattern MESSAGE =
            Pattern.compile("<p id=\"message\"([^>]*)>(.*?)</p>", Pattern.DOTALL);
    private static final Pattern ROW =
            Pattern.compile(
                    "<tr class=\"api\" data-api-id=\"([^\"]*)\">(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL =
            Pattern.compile("<td class=\"([^\" ]+)[^\"]*\">(.*?)</td>", Pattern.DOTALL);
    private static final Pattern CHART = Pattern.compile("<svg([^>]*)>(.*?)</svg>", Pattern.DOTALL);
    private static final Pattern POINT = Pattern.compile("<g class=\"point\"([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z-]+)=\"([^\"]*)\"");
    private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);");

    /**
     * Reads the page's DOM as chromium serialises it (the markup analytics.js writes). Every row
     * must have its chart, and the chart's points must add up to the row.
     */
    static Page parse(String dom) {
        Matcher state = STATE.matcher(dom);
        if (!state.find()) {
            throw new AssertionError("not the analytics page (no body data-state):\n" + dom);
        }
        String message = null;
        Matcher m = MESSAGE.matcher(dom);
        if (m.find() && !m.group(1).contains("hidden")) {
            message = text(m.group(2)).strip();
        }
        Map<String, List<HourFigures>> charts = new LinkedHashMap<>();
        Matcher chart = CHART.matcher(dom);
        while (chart.find()) {
            String apiId = attributes(chart.group(1)).get("data-api-id");
            if (apiId == null) {
                continue;
            }
            List<HourFigures> points = new ArrayList<>();
            Matcher point = POINT.matcher(chart.group(2));
            while (point.find()) {
                Map<String, String> a = attributes(point.group(1));
                points.add(
                        new HourFigures(
                                Instant.parse(a.get("data-hour")),
                                Long.parseLong(a.get("data-hits")),
                                Long.parseLong(a.get("data-success")),
                                Long.parseLong(a.get("data-errors")),
                                Double.parseDouble(a.get("data-latency"))));
            }
            charts.put(apiId, List.copyOf(points));
        }
        List<ApiFigures> apis = new ArrayList<>();
        Matcher row = ROW.matcher(dom);
        while (row.find()) {
            String apiId = text(row.group(1));
            Map<String, String> cells = new LinkedHashMap<>();
            Matcher cell = CELL.matcher(row.group(2));
            while (cell.find()) {
                cells.put(cell.group(1), text(cell.group(2)));
            }
            List<HourFigures> hours = charts.get(apiId);
            if (hours == null) {
                throw new AssertionError("the table's API " + apiId + " has no chart");
            }
            ApiFigures figures =
                    new ApiFigures(
                            apiId,
                            cell(cells, "api-name", apiId),
                            Long.parseLong(cell(cells, "hits", apiId)),
                            Long.parseLong(cell(cells, "success", apiId)),
                            Long.parseLong(cell(cells, "errors", apiId)),
                            Double.parseDouble(cell(cells, "latency", apiId)),
                            hours);
            requireChartMatchesRow(figures);
            apis.add(figures);
        }
        if (apis.size() != charts.size()) {
            throw new AssertionError(
                    "charts "
                            + charts.keySet()
                            + " but table rows "
                            + apis.stream().map(ApiFigures::apiId).toList());
        }
        return new Page(state.group(1), message, List.copyOf(apis));
    }

    private static void requireChartMatchesRow(ApiFigures api) {
        long hits = 0;
        long success = 0;
        long errors = 0;
        double latencySum = 0;
        for (HourFigures h : api.hours()) {
            hits += h.hits();
            success += h.success();
            errors += h.errors();
            latencySum += h.meanLatencyMs() * h.hits();
        }
        double mean = hits == 0 ? 0 : latencySum / hits;
        // the table shows one decimal
        if (hits != api.hits()
                || success != api.success()
                || errors != api.errors()
                || Math.abs(mean - api.meanLatencyMs()) > 0.05 + 1e-9) {
            throw new AssertionError(
                    "the chart of "
                            + api.apiId()
                            + " adds up to "
                            + hits
                            + " hits, "
                            + success
                            + " success, "
                            + errors
                            + " errors, "
                            + mean
                            + " ms; its row says "
                            + api);
        }
    }

    private static String cell(Map<String, String> cells, String name, String apiId) {
        String value = cells.get(name);
        if (value == null) {
            throw new AssertionError("the row of " + apiId + " has no " + name + " cell: " + cells);
        }
        return value;
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher a = ATTRIBUTE.matcher(tag);
        while (a.find()) {
            attributes.put(a.group(1), text(a.group(2)));
        }
        return attributes;
    }

    /** An element's text or an attribute's value as chromium serialises it, unescaped. */
    static String text(String html) {
        Matcher entity = ENTITY.matcher(html.replaceAll("<[^>]*>", ""));
        StringBuilder out = new StringBuilder();
        while (entity.find()) {
            String e = entity.group(1);
            String replacement =
                    switch (e) {
                        case "amp" -> "&";
                        case "lt" -> "<";
                        case "gt" -> ">";
                        case "quot" -> "\"";
                        case "apos" -> "'";
                        case "nbsp" -> "\u00a0";
                        default -> {
                            if (e.startsWith("#x")) {
                                yield Character.toString(Integer.parseInt(e.substring(2), 16));
                            } else if (e.startsWith("#")) {
                                yield Character.toString(Integer.parseInt(e.substring(1)));
                            }
                            yield entity.group();
                        }
                    };
            entity.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        entity.appendTail(out);
        return out.toString();
    }
}
