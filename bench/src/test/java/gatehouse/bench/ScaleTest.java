package gatehouse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scale rows' figures and the checks they decide. */
class ScaleTest {

    @Test
    void percentilesAreNearestRankOverTheSortedChanges() {
        double[] millis = new double[100];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = i + 1;
        }
        var live = new Scale.ChangeToLive(3, millis);
        assertEquals(50, live.percentile(50));
        assertEquals(99, live.percentile(99));
        assertEquals(100, live.percentile(100));
        assertEquals(7, new Scale.ChangeToLive(3, new double[] {3, 7}).percentile(99));
    }

    @Test
    void theRoutingRatioIsOfMediansSoOneSlowRunDoesNotDecideIt() {
        var routing =
                new Scale.Routing(
                        10,
                        10_000,
                        new double[] {30_000, 31_000, 10_000},
                        new double[] {29_000, 30_500, 30_000},
                        12.0);
        assertEquals(30_000.0 / 30_000, routing.ratio(), 1e-9);
    }

    @Test
    void theHeapFiguresOfJcmdAreSummedWithoutMetaspace() {
        String info =
                """
                 def new generation   total 19648K, used 100K [0x00000000fc000000, 0x00000000fd550000)
                  eden space 17472K,   0% used [0x00000000fc000000, 0x00000000fd110000)
                 tenured generation   total 43712K, used 2242K [0x00000000fd550000, 0x0000000100000000)
                 Metaspace       used 8952K, committed 9152K, reserved 1114112K
                """;
        assertEquals(2_342, KeyScale.usedKib(info));
        assertEquals(
                5_000,
                KeyScale.usedKib(" garbage-first heap   total 262144K, used 5000K [0x0000000)"));
    }

    @Test
    void theScaleRowsDecideTheirTargetsAndShowInTheReport() {
        var rows =
                new Report.ScaleRows(
                        new Scale.ChangeToLive(3, new double[] {40, 60, 1_200}),
                        new Scale.Routing(
                                10, 10_000, new double[] {30_000}, new double[] {27_000}, 9.5),
                        new KeyScale.Keys(1_000_000, 12.0, 61.5, 40_000, 540_000, 700_000, 200));
        Report report = new Report(List.of(), List.of(), Map.of(), Map.of(), rows);
        var checks = report.checks();
        var routing = checks.stream().filter(c -> c.what().contains("10,000 APIs")).findFirst();
        assertTrue(routing.isPresent());
        assertEquals(0.9, routing.get().value(), 1e-9);
        assertFalse(routing.get().met(), "0.90 is below 0.95");
        var live = checks.stream().filter(c -> c.what().startsWith("admin change")).findFirst();
        assertTrue(live.isPresent());
        assertEquals(1_200, live.get().value());
        assertFalse(live.get().met());
        var heap = checks.stream().filter(c -> c.what().contains("heap per key")).findFirst();
        assertTrue(heap.isPresent());
        assertEquals(500_000 * 1024.0 / 1_000_000, heap.get().value(), 1e-9);
        assertTrue(heap.get().met());
        var ready = checks.stream().filter(c -> c.what().contains("ready with")).findFirst();
        assertTrue(ready.isPresent());
        assertFalse(ready.get().met(), "61.5 s is over a minute");
        String md = report.markdown();
        assertTrue(md.contains("| live heap per key | 512 B |"), md);
        assertTrue(md.contains("| keyless with 10,000 APIs, rps (median of 1 runs) | 27.0k |"), md);
        assertTrue(md.contains("p50 / p99 / max | 60 / 1200 / 1200 ms |"), md);
    }
}
