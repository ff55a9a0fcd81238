package gatehouse.gateway.proxy;

import io.vertx.core.MultiMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The client's headers copied for the upstream, as wrk and a browser send them. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeaderCopyBenchmark {

    private MultiMap few;
    private MultiMap browser;

    @Setup
    public void headers() {
        few = io.vertx.core.http.HttpHeaders.headers().add("Host", "127.0.0.1:8080");
        browser =
                io.vertx.core.http.HttpHeaders.headers()
                        .add("Host", "api.example.com")
                        .add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0")
                        .add("Accept", "application/json, text/plain, */*")
                        .add("Accept-Language", "en-GB,en;q=0.9")
                        .add("Accept-Encoding", "gzip, deflate, br")
                        .add("Authorization", "Bearer abcdefghijklmnopqrstuvwxyz0123456789")
                        .add("Connection", "keep-alive")
                        .add("Cookie", "session=1234567890; theme=dark")
                        .add("X-Request-Id", "4f9c2a8e-1b7d-4e0a-9c3f-6d5e4b3a2c1b");
    }

    @Benchmark
    public MultiMap wrk() {
        return Forwarder.forwardedHeaders(few, "127.0.0.1", "127.0.0.1:8080", false);
    }

    @Benchmark
    public MultiMap browser() {
        return Forwarder.forwardedHeaders(browser, "203.0.113.7", "api.example.com", true);
    }
}
