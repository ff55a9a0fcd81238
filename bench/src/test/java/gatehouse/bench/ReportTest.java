package gatehouse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench's medians and ratios over interleaved rounds. */
class ReportTest {

    private static Sample sample(
            String target, int round, int connections, long requests, double p50, long cpu) {
        return new Sample(
                target,
                round,
                connections,
                new LoadResult(requests, 1.0, p50, p50 * 2, 0),
                cpu,
                2048);
    }

    @Test
    void mediansOfTheRoundsNotTheirMeans() {
        List<Sample> samples = new ArrayList<>();
        samples.add(sample(Report.PLAIN, 1, 64, 1000, 100, 10_000));
        samples.add(sample(Report.PLAIN, 2, 64, 9000, 100, 90_000));
        samples.add(sample(Report.PLAIN, 3, 64, 2000, 300, 20_000));
        Report report = new Report(samples, List.of(Report.PLAIN), Map.of(), Map.of());
        Report.Figures plain = report.figures(64).get(Report.PLAIN);
        assertEquals(2000, plain.rps(), 1e-9);
        assertEquals(100, plain.p50(), 1e-9);
        assertEquals(10, plain.cpuPerRequest(), 1e-9);
        assertEquals(12_000, plain.requests());
    }

    @Test
    void pairedRatiosCompareRunsOfTheSameRound() {
        // the machine slowed in round 2: a ratio of medians would mix rounds, the paired one not
        List<Sample> samples =
                List.of(
                        sample(Report.KEYLESS, 1, 64, 20_000, 1, 0),
                        sample(Report.KEYLESS_ANALYTICS, 1, 64, 19_000, 1, 0),
                        sample(Report.KEYLESS, 2, 64, 10_000, 1, 0),
                        sample(Report.KEYLESS_ANALYTICS, 2, 64, 9_600, 1, 0),
                        sample(Report.KEYLESS, 3, 64, 18_000, 1, 0),
                        sample(Report.KEYLESS_ANALYTICS, 3, 64, 9_000, 1, 0));
        Report report =
                new Report(
                        samples,
                        List.of(Report.KEYLESS, Report.KEYLESS_ANALYTICS),
                        Map.of(),
                        Map.of());
        assertEquals(0.95, report.pairedRatio(Report.KEYLESS_ANALYTICS, Report.KEYLESS, 64), 1e-9);
    }

    @Test
    void warmUpSettlesOnThreeRunsInAgreementNotTwo() {
        assertFalse(Bench.settled(List.of(3_700.0, 3_750.0)));
        assertFalse(Bench.settled(List.of(3_700.0, 3_750.0, 15_000.0)));
        assertTrue(Bench.settled(List.of(3_700.0, 15_000.0, 15_400.0, 15_200.0)));
    }

    @Test
    void theIssuesRatiosComeFromOneRun() {
        List<Sample> samples = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            samples.add(sample(Report.DIRECT, round, 64, 100_000, 200, 400_000));
            samples.add(sample(Report.NGINX, round, 64, 90_000, 300, 900_000));
            samples.add(sample(Report.PLAIN, round, 64, 60_000, 400, 900_000));
            samples.add(sample(Report.KEYLESS, round, 64, 50_000, 500, 900_000));
            samples.add(sample(Report.KEYLESS_ANALYTICS, round, 64, 44_000, 520, 880_000));
            samples.add(sample(Report.KEYED, round, 64, 47_000, 510, 900_000));
            samples.add(sample(Report.DIRECT, round, 1, 10_000, 50, 0));
            samples.add(sample(Report.NGINX, round, 1, 8_000, 80, 0));
            samples.add(sample(Report.KEYLESS, round, 1, 6_000, 150, 0));
        }
        Report report =
                new Report(
                        samples,
                        List.of(
                                Report.DIRECT,
                                Report.NGINX,
                                Report.PLAIN,
                                Report.KEYLESS,
                                Report.KEYLESS_ANALYTICS,
                                Report.KEYED),
                        Map.of("machine", "test"),
                        Map.of("gateway-service (analytics off)", 0.4));
        Map<String, Report.Check> checks = new java.util.HashMap<>();
        report.checks().forEach(check -> checks.put(check.what(), check));
        var cpu = checks.get("keyless gateway CPU per request / hand-written Vert.x proxy's");
        assertEquals((900_000 / 50_000.0) / (900_000 / 60_000.0), cpu.value(), 1e-9);
        assertTrue(cpu.met());
        var nginx = checks.get("keyless gateway throughput / nginx's");
        assertEquals(50.0 / 90, nginx.value(), 1e-9);
        assertFalse(nginx.met(), "0.56 is below 0.6");
        var analytics = checks.get("keyless throughput with analytics on / off (median of rounds)");
        assertEquals(0.88, analytics.value(), 1e-9);
        assertFalse(analytics.met());
        assertEquals(
                0.94,
                checks.get("key + rate limit + quota throughput / keyless (median of rounds)")
                        .value(),
                1e-9);
        // the same CPU per request on and off in these rows: 18 µs vs 20 µs
        assertEquals(
                (900_000 / 50_000.0) / (880_000 / 44_000.0),
                checks.get("keyless CPU per request with analytics off / on").value(),
                1e-9);
        var latency = checks.get("keyless added p50 at 1 connection minus nginx's (µs)");
        assertEquals(100 - 30, latency.value(), 1e-9);
        assertFalse(latency.met());
        assertTrue(checks.get("idle gateway CPU (% of a core)").met());
        String markdown = report.markdown();
        assertTrue(markdown.contains("| Gatehouse gateway, keyless | 50.0k | 0.56 |"), markdown);
        assertTrue(markdown.contains("- machine: test"), markdown);
    }
}
