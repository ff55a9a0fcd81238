package gatehouse.gateway.analytics;

import gatehouse.gateway.routing.ApiRoute;
import gatehouse.gateway.routing.Tracking;
import gatehouse.gateway.state.NodeIdentity;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.internal.PlatformDependent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One analytics record per request an API serves (issue 12), kept off the hot path: the event loop
 * only fills a {@link RequestTrace} and offers it to a bounded lock-free queue, never waits and
 * never encodes; the {@link AnalyticsShipper}'s thread makes the records and sends them to {@code
 * gatehouse.analytics}. A full queue drops the record and counts it, so a slow or absent broker
 * costs records, never throughput.
 */
@Singleton
public class AnalyticsRecorder {

    private static final Logger LOGGER = Logger.getLogger(AnalyticsRecorder.class);

    /** This node's counts, for {@code /tyk/cluster}: see {@link #figures()}. */
    public record Figures(String nodeId, long recorded, long sent, long dropped, long queued) {}

    private final AnalyticsSettings settings;
    private final boolean trustForwardedHeaders;
    private final Queue<RequestTrace> queue;
    private final LongAdder recorded = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder droppedFull = new LongAdder();
    private final LongAdder droppedBroker = new LongAdder();
    private final String bootstrapServers;
    private final String nodeId;
    private AnalyticsShipper shipper;

    @Inject
    AnalyticsRecorder(
            @ConfigProperty(name = "gatehouse.analytics.enabled", defaultValue = "true")
                    boolean enabled,
            @ConfigProperty(name = "gatehouse.analytics.sample-rate", defaultValue = "1.0")
                    double sampleRate,
            @ConfigProperty(name = "gatehouse.analytics.buffer-size", defaultValue = "32768")
                    int bufferSize,
            @ConfigProperty(name = "gatehouse.analytics.batch-size", defaultValue = "500")
                    int batchSize,
            @ConfigProperty(name = "gatehouse.analytics.flush-interval", defaultValue = "100ms")
                    Duration flushInterval,
            @ConfigProperty(name = "gatehouse.analytics.producer.compression", defaultValue = "lz4")
                    String compression,
            @ConfigProperty(name = "gatehouse.analytics.producer.linger", defaultValue = "20ms")
                    Duration linger,
            @ConfigProperty(name = "gatehouse.analytics.producer.max-block", defaultValue = "100ms")
                    Duration maxBlock,
            @ConfigProperty(
                            name = "gatehouse.analytics.producer.buffer-memory",
                            defaultValue = "33554432")
                    long bufferMemory,
            @ConfigProperty(
                            name = "gatehouse.analytics.producer.delivery-timeout",
                            defaultValue = "120s")
                    Duration deliveryTimeout,
            @ConfigProperty(name = "gatehouse.http.trust-forwarded-headers", defaultValue = "true")
                    boolean trustForwardedHeaders,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            NodeIdentity node,
            MeterRegistry meters) {
        this(
                new AnalyticsSettings(
                        enabled,
                        sampleRate,
                        bufferSize,
                        batchSize,
                        flushInterval,
                        new AnalyticsSettings.Producer(
                                compression, linger, maxBlock, bufferMemory, deliveryTimeout)),
                trustForwardedHeaders,
                bootstrapServers,
                node.id());
        register(meters);
    }

    /** A recorder that only queues until {@link #start()}: for tests of the request side. */
    AnalyticsRecorder(
            AnalyticsSettings settings,
            boolean trustForwardedHeaders,
            String bootstrapServers,
            String nodeId) {
        this.settings = settings;
        this.trustForwardedHeaders = trustForwardedHeaders;
        this.queue = PlatformDependent.newFixedMpscQueue(settings.bufferSize());
        this.bootstrapServers = bootstrapServers;
        this.nodeId = nodeId;
    }

    private void register(MeterRegistry meters) {
        FunctionCounter.builder("gatehouse.analytics.records.recorded", recorded, LongAdder::sum)
                .description("requests this node made an analytics record of")
                .register(meters);
        FunctionCounter.builder("gatehouse.analytics.records.sent", sent, LongAdder::sum)
                .description("analytics records the broker acknowledged")
                .register(meters);
        FunctionCounter.builder("gatehouse.analytics.records.dropped", droppedFull, LongAdder::sum)
                .tag("reason", "buffer-full")
                .description("analytics records lost: the node's buffer was full")
                .register(meters);
        FunctionCounter.builder(
                        "gatehouse.analytics.records.dropped", droppedBroker, LongAdder::sum)
                .tag("reason", "broker")
                .description("analytics records lost: the producer refused or gave up on them")
                .register(meters);
        Gauge.builder("gatehouse.analytics.records.queued", this, r -> r.figures().queued())
                .description(
                        "analytics records neither acknowledged nor dropped yet (queued, held"
                                + " through a broker outage or in the producer's buffer)")
                .register(meters);
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop(Duration.ofSeconds(10));
    }

    /** Starts the shipper (nothing when analytics is off). */
    synchronized void start() {
        if (!settings.enabled() || shipper != null) {
            return;
        }
        shipper = new AnalyticsShipper(this, settings, bootstrapServers, nodeId);
        shipper.start();
        LOGGER.infof(
                "analytics on: sample rate %s, buffer %d records, batches of %d every %d ms",
                settings.sampleRate(),
                settings.bufferSize(),
                settings.batchSize(),
                settings.flushInterval().toMillis());
    }

    /** Ships what is queued and stops, waiting at most {@code timeout}. */
    synchronized void stop(Duration timeout) {
        if (shipper != null) {
            shipper.close(timeout);
            shipper = null;
        }
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * Starts the trace of a request an API serves, or null when it gives no record (analytics off,
     * the API's {@code do_not_track}, or sampled out). The caller makes it the response's end
     * handler.
     *
     * @param fullPath the canonical request path
     * @param afterListen the path below the listen path
     */
    public RequestTrace begin(
            HttpServerRequest request, ApiRoute route, String fullPath, String afterListen) {
        Tracking tracking = route.tracking();
        if (!settings.enabled()
                || tracking.doNotTrack()
                || !settings.sampled(ThreadLocalRandom.current().nextDouble())) {
            return null;
        }
        String[] tagHeaders = tracking.tagHeaders();
        String[] tagValues = tagHeaders.length == 0 ? tagHeaders : new String[tagHeaders.length];
        for (int i = 0; i < tagHeaders.length; i++) {
            tagValues[i] = request.getHeader(tagHeaders[i]);
        }
        return new RequestTrace(
                this,
                request,
                route,
                fullPath,
                afterListen,
                System.nanoTime(),
                System.currentTimeMillis(),
                request.method().name(),
                request.authority(),
                request.path(),
                request.getHeader("Content-Length"),
                request.getHeader("User-Agent"),
                trustForwardedHeaders ? request.getHeader("X-Real-IP") : null,
                trustForwardedHeaders ? request.getHeader("X-Forwarded-For") : null,
                request.remoteAddress(),
                tagValues);
    }

    /**
     * A traced request ended: its endpoint decisions (on the event loop, and only for APIs with
     * endpoint rules), then the queue.
     */
    void finish(RequestTrace trace) {
        Tracking tracking = trace.route.tracking();
        if (tracking.hasEndpointRules()) {
            if (tracking.untracked(
                    trace.version, trace.method, trace.afterListen, trace.fullPath)) {
                return;
            }
            trace.trackedPath =
                    tracking.trackedPath(
                            trace.version, trace.method, trace.afterListen, trace.fullPath);
        }
        recorded.increment();
        if (!queue.offer(trace)) {
            droppedFull.increment();
        }
    }

    /** The next queued trace, or null. */
    RequestTrace poll() {
        return queue.poll();
    }

    void sent(int records) {
        sent.add(records);
    }

    void dropped(int records) {
        droppedBroker.add(records);
    }

    /**
     * This node's counts; {@code queued} is what was recorded and is neither acknowledged by the
     * broker nor dropped yet: in the queue, held back by the shipper or in the producer's buffer.
     */
    public Figures figures() {
        long dropped = droppedFull.sum() + droppedBroker.sum();
        long sentNow = sent.sum();
        long recordedNow = recorded.sum();
        return new Figures(
                nodeId,
                recordedNow,
                sentNow,
                dropped,
                Math.max(0, recordedNow - sentNow - dropped));
    }
}
