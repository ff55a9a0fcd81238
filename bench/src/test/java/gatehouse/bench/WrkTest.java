package gatehouse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Reading wrk's --latency report. */
class WrkTest {

    private static final String REPORT =
            """
            Running 10s test @ http://127.0.0.1:8080/open/x
              1 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     2.41ms  610.22us  14.52ms   87.11%
                Req/Sec    26.71k     1.02k   28.40k    74.00%
              Latency Distribution
                 50%    2.30ms
                 75%    2.62ms
                 90%    3.01ms
                 99%    4.55ms
              265781 requests in 10.01s, 43.85MB read
              Socket errors: connect 0, read 3, write 0, timeout 2
              Non-2xx or 3xx responses: 7
            Requests/sec:  26551.55
            Transfer/sec:      4.38MB
            """;

    @Test
    void readsCountsPercentilesAndFailures() {
        LoadResult result = Wrk.parse(REPORT);
        assertEquals(265781, result.requests());
        assertEquals(10.01, result.seconds(), 1e-9);
        assertEquals(2300, result.p50Micros(), 1e-6);
        assertEquals(4550, result.p99Micros(), 1e-6);
        assertEquals(12, result.failed(), "7 non-2xx plus 5 socket errors");
        assertEquals(265781 / 10.01, result.rps(), 1e-6);
    }

    @Test
    void readsMicrosecondsAndAReportWithoutFailures() {
        LoadResult result =
                Wrk.parse(
                        """
                          Latency Distribution
                             50%  412.00us
                             99%    1.20ms
                          40211 requests in 2.00s, 6.63MB read
                        """);
        assertEquals(412, result.p50Micros(), 1e-6);
        assertEquals(1200, result.p99Micros(), 1e-6);
        assertEquals(0, result.failed());
    }

    @Test
    void refusesWhatIsNotAReport() {
        assertThrows(IllegalArgumentException.class, () -> Wrk.parse("unable to connect"));
    }
}
