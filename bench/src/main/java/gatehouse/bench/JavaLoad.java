package gatehouse.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The load generator where wrk is not installed: one Vert.x event loop keeping {@code connections}
 * requests in flight on as many keep-alive connections, latencies in an HdrHistogram. Slower than
 * wrk, so its absolute figures are lower; the ratios of one run still compare like with like.
 */
final class JavaLoad implements LoadGenerator {

    @Override
    public String describe() {
        return "Java (Vert.x HttpClient, 1 event loop; wrk is not installed)";
    }

    @Override
    public LoadResult run(
            URI url, Map<String, String> headers, int connections, Duration duration) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            HttpClient client =
                    vertx.createHttpClient(
                            new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                            new PoolOptions().setHttp1MaxSize(connections));
            RequestOptions options =
                    new RequestOptions()
                            .setMethod(HttpMethod.GET)
                            .setHost(url.getHost())
                            .setPort(url.getPort())
                            .setURI(url.getRawPath());
            headers.forEach(options::addHeader);
            Run run = new Run(client, options, System.nanoTime() + duration.toNanos());
            CompletableFuture<Void> done = new CompletableFuture<>();
            run.done = done;
            long started = System.nanoTime();
            vertx.runOnContext(
                    ignored -> {
                        run.inFlight = connections;
                        for (int i = 0; i < connections; i++) {
                            run.next();
                        }
                    });
            done.get(duration.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            double seconds = (System.nanoTime() - started) / 1e9;
            return new LoadResult(
                    run.completed,
                    seconds,
                    run.latencies.getValueAtPercentile(50),
                    run.latencies.getValueAtPercentile(99),
                    run.failed);
        } catch (Exception e) {
            throw new IllegalStateException("the Java load generator failed: " + e, e);
        } finally {
            vertx.close();
        }
    }

    /** One run's state, touched only on the event loop. */
    private static final class Run {
        final HttpClient client;
        final RequestOptions options;
        final long endNanos;
        final Histogram latencies = new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
        long completed;
        long failed;
        int inFlight;
        CompletableFuture<Void> done;

        Run(HttpClient client, RequestOptions options, long endNanos) {
            this.client = client;
            this.options = options;
            this.endNanos = endNanos;
        }

        void next() {
            long sent = System.nanoTime();
            if (sent - endNanos >= 0) {
                if (--inFlight == 0) {
                    done.complete(null);
                }
                return;
            }
            client.request(options)
                    .compose(request -> request.send())
                    .compose(
                            response -> {
                                if (response.statusCode() / 100 != 2) {
                                    failed++;
                                }
                                return response.body();
                            })
                    .onComplete(
                            answered -> {
                                if (answered.failed()) {
                                    failed++;
                                } else {
                                    completed++;
                                    latencies.recordValue(
                                            Math.min(
                                                    latencies.getHighestTrackableValue(),
                                                    (System.nanoTime() - sent) / 1000));
                                }
                                next();
                            });
        }
    }
}
