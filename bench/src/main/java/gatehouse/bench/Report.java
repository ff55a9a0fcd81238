package gatehouse.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The bench's figures: medians over the interleaved rounds per target and connection count, the
 * ratios the performance issues set as targets, {@code report.md} and a bar chart ({@code
 * report.png}).
 */
final class Report {

    static final String DIRECT = "direct (no proxy)";
    static final String NGINX = "nginx reverse proxy (1 worker)";
    static final String PLAIN = "hand-written Vert.x proxy (1 event loop)";
    static final String KEYLESS = "Gatehouse gateway, keyless";
    static final String KEYLESS_ANALYTICS = "Gatehouse gateway, keyless, analytics on";
    static final String KEYED = "Gatehouse gateway, key + rate limit + quota";

    /** One target's medians at one connection count. */
    record Figures(
            String target,
            double rps,
            double p50,
            double p99,
            double cpuPerRequest,
            long rssKib,
            long failed,
            long requests) {}

    /** The scale rows, when the run measured them. */
    record ScaleRows(Scale.ChangeToLive live, Scale.Routing routing, KeyScale.Keys keys) {}

    /** A ratio the issues ask for, with its bound. */
    record Check(String what, double value, String bound, boolean met) {}

    private final List<Sample> samples;
    private final List<String> targets;
    private final Map<String, String> context;
    private final Map<String, Double> idleCpuPercent;
    private final ScaleRows scale;

    Report(
            List<Sample> samples,
            List<String> targets,
            Map<String, String> context,
            Map<String, Double> idleCpuPercent) {
        this(samples, targets, context, idleCpuPercent, null);
    }

    Report(
            List<Sample> samples,
            List<String> targets,
            Map<String, String> context,
            Map<String, Double> idleCpuPercent,
            ScaleRows scale) {
        this.samples = List.copyOf(samples);
        this.targets = List.copyOf(targets);
        this.context = new LinkedHashMap<>(context);
        this.idleCpuPercent = new LinkedHashMap<>(idleCpuPercent);
        this.scale = scale;
    }

    /** Medians per target at {@code connections}, in the targets' order. */
    Map<String, Figures> figures(int connections) {
        Map<String, Figures> byTarget = new LinkedHashMap<>();
        for (String target : targets) {
            List<Sample> runs =
                    samples.stream()
                            .filter(
                                    s ->
                                            s.target().equals(target)
                                                    && s.connections() == connections)
                            .toList();
            if (runs.isEmpty()) {
                continue;
            }
            byTarget.put(
                    target,
                    new Figures(
                            target,
                            median(runs, s -> s.load().rps()),
                            median(runs, s -> s.load().p50Micros()),
                            median(runs, s -> s.load().p99Micros()),
                            median(runs, Sample::cpuMicrosPerRequest),
                            runs.stream().mapToLong(Sample::rssKib).max().orElse(0),
                            runs.stream().mapToLong(s -> s.load().failed()).sum(),
                            runs.stream().mapToLong(s -> s.load().requests()).sum()));
        }
        return byTarget;
    }

    /**
     * The median over rounds of {@code target}'s throughput over {@code base}'s in the same round:
     * adjacent runs share the machine's state of the moment, which a ratio of medians does not.
     */
    double pairedRatio(String target, String base, int connections) {
        List<Double> ratios = new ArrayList<>();
        for (Sample sample : samples) {
            if (!sample.target().equals(target) || sample.connections() != connections) {
                continue;
            }
            for (Sample other : samples) {
                if (other.target().equals(base)
                        && other.connections() == connections
                        && other.round() == sample.round()
                        && other.load().rps() > 0) {
                    ratios.add(sample.load().rps() / other.load().rps());
                }
            }
        }
        if (ratios.isEmpty()) {
            return Double.NaN;
        }
        ratios.sort(null);
        int middle = ratios.size() / 2;
        return ratios.size() % 2 == 1
                ? ratios.get(middle)
                : (ratios.get(middle - 1) + ratios.get(middle)) / 2;
    }

    static double median(List<Sample> runs, ToDoubleFunction<Sample> value) {
        double[] values = runs.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(values);
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** The issues' targets that this run's figures can decide. */
    List<Check> checks() {
        Map<String, Figures> many = figures(64);
        Map<String, Figures> one = figures(1);
        List<Check> checks = new ArrayList<>();
        Figures keyless = many.get(KEYLESS);
        Figures plain = many.get(PLAIN);
        Figures nginx = many.get(NGINX);
        if (keyless != null && plain != null) {
            checks.add(
                    new Check(
                            "keyless gateway CPU per request / hand-written Vert.x proxy's",
                            keyless.cpuPerRequest() / plain.cpuPerRequest(),
                            "<= 1.30",
                            keyless.cpuPerRequest() / plain.cpuPerRequest() <= 1.3));
        }
        if (keyless != null && nginx != null) {
            checks.add(
                    new Check(
                            "keyless gateway throughput / nginx's",
                            keyless.rps() / nginx.rps(),
                            ">= 0.60",
                            keyless.rps() / nginx.rps() >= 0.6));
        }
        Figures keyed = many.get(KEYED);
        if (keyless != null && keyed != null) {
            double ratio = pairedRatio(KEYED, KEYLESS, 64);
            checks.add(
                    new Check(
                            "key + rate limit + quota throughput / keyless (median of rounds)",
                            ratio,
                            ">= 0.90",
                            ratio >= 0.9));
        }
        Figures analytics = many.get(KEYLESS_ANALYTICS);
        if (keyless != null && analytics != null) {
            double ratio = pairedRatio(KEYLESS_ANALYTICS, KEYLESS, 64);
            checks.add(
                    new Check(
                            "keyless throughput with analytics on / off (median of rounds)",
                            ratio,
                            ">= 0.90",
                            ratio >= 0.9));
            double cpu = keyless.cpuPerRequest() / analytics.cpuPerRequest();
            checks.add(
                    new Check(
                            "keyless CPU per request with analytics off / on",
                            cpu,
                            ">= 0.90",
                            cpu >= 0.9));
        }
        Figures direct1 = one.get(DIRECT);
        Figures keyless1 = one.get(KEYLESS);
        Figures nginx1 = one.get(NGINX);
        if (direct1 != null && keyless1 != null && nginx1 != null) {
            double gatewayAdded = keyless1.p50() - direct1.p50();
            double nginxAdded = nginx1.p50() - direct1.p50();
            checks.add(
                    new Check(
                            "keyless added p50 at 1 connection minus nginx's (µs)",
                            gatewayAdded - nginxAdded,
                            "<= 40",
                            gatewayAdded - nginxAdded <= 40));
        }
        Double idleGateway = idleCpuPercent.get("gateway-service (analytics off)");
        if (idleGateway != null) {
            checks.add(
                    new Check(
                            "idle gateway CPU (% of a core)",
                            idleGateway, "< 1.0", idleGateway < 1.0));
        }
        if (scale != null && scale.routing() != null) {
            Scale.Routing routing = scale.routing();
            checks.add(
                    new Check(
                            String.format(
                                    Locale.ROOT,
                                    "keyless throughput with %,d APIs / with %d",
                                    routing.many(),
                                    routing.few()),
                            routing.ratio(),
                            ">= 0.95",
                            routing.ratio() >= 0.95));
        }
        if (scale != null && scale.keys() != null) {
            KeyScale.Keys keys = scale.keys();
            checks.add(
                    new Check(
                            String.format(
                                    Locale.ROOT,
                                    "gateway heap per key with %,d keys (bytes)",
                                    keys.count()),
                            keys.bytesPerKey(),
                            "<= 1024",
                            keys.bytesPerKey() <= 1024));
            checks.add(
                    new Check(
                            String.format(
                                    Locale.ROOT,
                                    "a new gateway ready with %,d keys (s)",
                                    keys.count()),
                            keys.readySeconds(),
                            "<= 60",
                            keys.readySeconds() <= 60 && keys.servedStatus() == 200));
        }
        if (scale != null && scale.live() != null) {
            Scale.ChangeToLive live = scale.live();
            double p99 = live.percentile(99);
            checks.add(
                    new Check(
                            "admin change live on "
                                    + live.nodes()
                                    + " gateways, p99 (ms; DESIGN: under a second)",
                            p99,
                            "< 1000",
                            p99 < 1000));
        }
        return checks;
    }

    long failures() {
        return samples.stream().mapToLong(s -> s.load().failed()).sum();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Gatehouse bench\n\n");
        md.append(
                "Absolute figures are this machine's; the claims are the ratios, all from this one run.\n\n");
        context.forEach(
                (name, value) ->
                        md.append("- ").append(name).append(": ").append(value).append('\n'));
        Map<String, Figures> many = figures(64);
        Map<String, Figures> one = figures(1);
        Figures reference = many.getOrDefault(NGINX, many.get(PLAIN));
        String referenceName = many.containsKey(NGINX) ? "nginx" : "Vert.x proxy";
        Figures direct = many.get(DIRECT);
        md.append("\n## Throughput at 64 connections (medians)\n\n");
        md.append("| target | rps | × ")
                .append(referenceName)
                .append(
                        " | CPU µs per request | p50 µs | p99 µs | added p50 µs | added p99 µs | RSS MiB | non-2xx |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Figures f : many.values()) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.1fk | %.2f | %.1f | %.0f | %.0f | %s | %s | %.0f | %d |%n",
                            f.target(),
                            f.rps() / 1000,
                            f.rps() / reference.rps(),
                            f.cpuPerRequest(),
                            f.p50(),
                            f.p99(),
                            added(f, direct, Figures::p50),
                            added(f, direct, Figures::p99),
                            f.rssKib() / 1024.0,
                            f.failed()));
        }
        Figures direct1 = one.get(DIRECT);
        md.append("\n## Latency at 1 connection (medians)\n\n");
        md.append("| target | rps | p50 µs | p99 µs | added p50 µs | added p99 µs | non-2xx |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Figures f : one.values()) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.1fk | %.0f | %.0f | %s | %s | %d |%n",
                            f.target(),
                            f.rps() / 1000,
                            f.p50(),
                            f.p99(),
                            added(f, direct1, Figures::p50),
                            added(f, direct1, Figures::p99),
                            f.failed()));
        }
        if (!idleCpuPercent.isEmpty()) {
            md.append("\n## Idle CPU (no load)\n\n| service | % of one core |\n|---|---|\n");
            idleCpuPercent.forEach(
                    (name, percent) ->
                            md.append(
                                    String.format(Locale.ROOT, "| %s | %.2f |%n", name, percent)));
        }
        if (scale != null) {
            md.append("\n## Scale\n\n| row | figure |\n|---|---|\n");
            Scale.Routing routing = scale.routing();
            if (routing != null) {
                md.append(
                        String.format(
                                Locale.ROOT,
                                "| keyless with %d APIs, rps (median of %d runs) | %.1fk |%n"
                                        + "| keyless with %,d APIs, rps (median of %d runs) | %.1fk |%n"
                                        + "| %,d APIs created and routed by the gateway in | %.1f s |%n",
                                routing.few(),
                                routing.fewRps().length,
                                Scale.median(routing.fewRps()) / 1000,
                                routing.many(),
                                routing.manyRps().length,
                                Scale.median(routing.manyRps()) / 1000,
                                routing.many() - routing.few(),
                                routing.loadSeconds()));
            }
            KeyScale.Keys keys = scale.keys();
            if (keys != null) {
                md.append(
                        String.format(
                                Locale.ROOT,
                                "| %,d keys published to gatehouse.keys in | %.1f s |%n"
                                        + "| a new gateway ready (/ready 200) with them, from its start, in | %.1f s |%n"
                                        + "| its live heap after a full GC: without keys / with them | %.0f / %.0f MiB |%n"
                                        + "| live heap per key | %.0f B |%n"
                                        + "| its RSS with them | %.0f MiB |%n"
                                        + "| a request with one of them answered | %d |%n",
                                keys.count(),
                                keys.publishSeconds(),
                                keys.readySeconds(),
                                keys.baselineHeapKib() / 1024.0,
                                keys.heapKib() / 1024.0,
                                keys.bytesPerKey(),
                                keys.rssKib() / 1024.0,
                                keys.servedStatus()));
            }
            Scale.ChangeToLive live = scale.live();
            if (live != null) {
                md.append(
                        String.format(
                                Locale.ROOT,
                                "| admin change (POST /tyk/apis) until routed by all %d gateways, %d changes:"
                                        + " p50 / p99 / max | %.0f / %.0f / %.0f ms |%n",
                                live.nodes(),
                                live.millis().length,
                                live.percentile(50),
                                live.percentile(99),
                                live.percentile(100)));
            }
        }
        md.append(
                "\n## Targets (issues 12 and 13)\n\n| ratio | this run | target | met |\n|---|---|---|---|\n");
        for (Check check : checks()) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.2f | %s | %s |%n",
                            check.what(),
                            check.value(),
                            check.bound(),
                            check.met() ? "yes" : "no"));
        }
        md.append(
                String.format(
                        Locale.ROOT,
                        "%nNon-2xx answers and socket errors over all runs: %d.%n",
                        failures()));
        return md.toString();
    }

    private static String added(Figures f, Figures direct, ToDoubleFunction<Figures> value) {
        if (direct == null || f == direct) {
            return "-";
        }
        return String.format(
                Locale.ROOT, "%.0f", value.applyAsDouble(f) - value.applyAsDouble(direct));
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.md"), markdown());
        ImageIO.write(chart(), "png", dir.resolve("report.png").toFile());
    }

    /** Throughput at 64 connections and CPU per request, one bar pair per target. */
    BufferedImage chart() {
        Map<String, Figures> many = figures(64);
        int width = 960;
        int rowHeight = 44;
        int top = 50;
        int left = 330;
        int height = top + rowHeight * Math.max(1, many.size()) + 40;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(
                    "Requests per second at 64 connections (median of rounds; this machine)",
                    16,
                    28);
            double max = many.values().stream().mapToDouble(Figures::rps).max().orElse(1);
            int barMax = width - left - 110;
            int row = 0;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            for (Figures f : many.values()) {
                int y = top + row * rowHeight;
                g.setColor(Color.DARK_GRAY);
                g.drawString(f.target(), 16, y + 22);
                int bar = (int) Math.round(barMax * f.rps() / max);
                g.setColor(
                        f.target().startsWith("Gatehouse")
                                ? new Color(0x2e7d32)
                                : new Color(0x607d8b));
                g.fillRect(left, y + 8, Math.max(1, bar), 22);
                g.setColor(Color.DARK_GRAY);
                g.drawString(
                        String.format(
                                Locale.ROOT,
                                "%.1fk  (%.1f µs CPU)",
                                f.rps() / 1000,
                                f.cpuPerRequest()),
                        left + bar + 8,
                        y + 24);
                row++;
            }
            g.setStroke(new BasicStroke(1));
            g.drawLine(left, top, left, top + rowHeight * row);
        } finally {
            g.dispose();
        }
        return image;
    }
}
