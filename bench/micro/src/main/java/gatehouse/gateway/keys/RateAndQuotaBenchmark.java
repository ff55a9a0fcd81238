package gatehouse.gateway.keys;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The rate-limit and quota checks a keyed request makes, on a key that never reaches either. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RateAndQuotaBenchmark {

    private static final String DIGEST =
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private final KeyRateLimits rateLimits = new KeyRateLimits();
    private final QuotaCounters quotas = new QuotaCounters();

    @Benchmark
    public boolean rateLimit() {
        return rateLimits.tryAcquire(DIGEST, "", "1764800000", 1e9, 1, 3, System.nanoTime());
    }

    @Benchmark
    public long quota() {
        return quotas.tryConsume(
                DIGEST, "", Long.MAX_VALUE / 2, 3600, System.currentTimeMillis() / 1000);
    }
}
