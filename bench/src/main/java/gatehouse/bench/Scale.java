package gatehouse.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;

/**
 * The bench's scale rows: how long an admin change takes to be live on every gateway node, and what
 * routing among many APIs costs the keyless path.
 */
final class Scale {

    /**
     * Admin changes timed from the POST until every node serves them.
     *
     * @param nodes how many gateways were watched
     * @param millis each change's time to live on the last node, sorted
     */
    record ChangeToLive(int nodes, double[] millis) {
        double percentile(double p) {
            if (millis.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * millis.length) - 1;
            return millis[Math.max(0, Math.min(millis.length - 1, index))];
        }
    }

    /**
     * The keyless throughput with few and with many APIs loaded, in runs back to back.
     *
     * @param few APIs held during the first runs
     * @param many APIs held during the second
     * @param fewRps each run's throughput with {@code few}
     * @param manyRps each run's throughput with {@code many}
     * @param loadSeconds how long creating the APIs and seeing them on the gateway took
     */
    record Routing(int few, int many, double[] fewRps, double[] manyRps, double loadSeconds) {
        double ratio() {
            return median(manyRps) / median(fewRps);
        }
    }

    private static final Duration POLL = Duration.ofNanos(500_000);
    private static final Duration LIVE_LIMIT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI control;
    private final String secret;
    private final String org;
    private final String upstream;

    Scale(HttpClient http, URI control, String secret, String org, String upstream) {
        this.http = http;
        this.control = control;
        this.secret = secret;
        this.org = org;
        this.upstream = upstream;
    }

    /** Creates {@code changes} APIs one after the other, timing each until every node routes it. */
    ChangeToLive changeToLive(List<URI> nodes, int changes) throws Exception {
        double[] millis = new double[changes];
        for (int i = 0; i < changes; i++) {
            String id = "bench-live-" + i;
            long started = System.nanoTime();
            create(id, "/" + id + "/").join();
            List<CompletableFuture<Long>> live = new ArrayList<>();
            for (URI node : nodes) {
                live.add(CompletableFuture.supplyAsync(() -> awaitRouted(node, "/" + id + "/x")));
            }
            long last = live.stream().mapToLong(CompletableFuture::join).max().orElseThrow();
            millis[i] = (last - started) / 1e6;
        }
        Arrays.sort(millis);
        return new ChangeToLive(nodes.size(), millis);
    }

    /**
     * Measures the keyless path {@code runs} times with {@code few} APIs held, creates APIs up to
     * {@code many} and measures again. The runs come back to back, so the machine's drift between
     * them is small.
     *
     * @param held APIs the gateway holds already
     * @param measure one load run's throughput
     */
    Routing routing(int held, int few, int many, URI gateway, int runs, DoubleSupplier measure)
            throws Exception {
        int fewer = Math.max(0, few - held);
        createAll("bench-few-", fewer, gateway);
        double[] fewRps = runs(runs, measure);
        long started = System.nanoTime();
        createAll("bench-many-", many - held - fewer, gateway);
        double loadSeconds = (System.nanoTime() - started) / 1e9;
        double[] manyRps = runs(runs, measure);
        return new Routing(few, many, fewRps, manyRps, loadSeconds);
    }

    private static double[] runs(int runs, DoubleSupplier measure) {
        double[] rps = new double[runs];
        for (int i = 0; i < runs; i++) {
            rps[i] = measure.getAsDouble();
        }
        return rps;
    }

    /** Creates {@code count} APIs, 16 at a time, and waits until {@code gateway} routes each. */
    private void createAll(String prefix, int count, URI gateway) throws Exception {
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            String id = prefix + i;
            all.add(create(id, "/" + id + "/").whenComplete((ok, failed) -> inFlight.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        for (int i = 0; i < count; i++) {
            awaitRouted(gateway, "/" + prefix + i + "/x");
        }
    }

    private CompletableFuture<Void> create(String id, String listenPath) {
        String body =
                """
                {"api_id":"%s","name":"%s","org_id":"%s","use_keyless":true,"active":true,
                 "version_data":{"not_versioned":true,"versions":{"Default":{"name":"Default"}}},
                 "proxy":{"listen_path":"%s","target_url":"%s","strip_listen_path":true}}"""
                        .formatted(id, id, org, listenPath, upstream);
        HttpRequest request =
                HttpRequest.newBuilder(control.resolve("/tyk/apis"))
                        .header("x-tyk-authorization", secret)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenAccept(
                        response -> {
                            if (response.statusCode() != 200) {
                                throw new IllegalStateException(
                                        "POST /tyk/apis "
                                                + id
                                                + " answered "
                                                + response.statusCode()
                                                + ": "
                                                + response.body());
                            }
                        });
    }

    /** Polls {@code path} on {@code node} until it answers 200; the time it did, in nanoTime. */
    private long awaitRouted(URI node, String path) {
        long deadline = System.nanoTime() + LIVE_LIMIT.toNanos();
        HttpRequest request =
                HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(5)).build();
        while (true) {
            try {
                int status =
                        http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return System.nanoTime();
                }
            } catch (java.io.IOException e) {
                // the node is busy or restarting: the deadline decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        node + path + " not routed within " + LIVE_LIMIT.toSeconds() + " s");
            }
            // a poll interval, well under the changes it times
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length == 0
                ? Double.NaN
                : sorted.length % 2 == 1
                        ? sorted[middle]
                        : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
