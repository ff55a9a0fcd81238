package gatehouse.gateway.keys;

import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventSender;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.keys.UsageDelta;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.gateway.state.NodeIdentity;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes what this node counted against quotas as usage deltas on {@code gatehouse.usage}, every
 * flush interval (DESIGN §4). A delta the broker does not take is counted again at the next flush,
 * so an outage delays the count but loses none of it.
 */
@ApplicationScoped
public class UsageReporter {

    private static final Logger LOGGER = Logger.getLogger(UsageReporter.class);
    private static final String SOURCE = "/gatehouse/gateway-service";

    private final EventSender sender;
    private final QuotaCounters quotas;
    private final Vertx vertx;
    private final String nodeId;
    private final Duration interval;
    private long timer = -1;
    private final java.util.concurrent.atomic.AtomicBoolean flushScheduled =
            new java.util.concurrent.atomic.AtomicBoolean();

    UsageReporter(
            @Channel("usage-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                    MutinyEmitter<Record<String, String>> emitter,
            QuotaCounters quotas,
            Vertx vertx,
            NodeIdentity node,
            @ConfigProperty(name = "gatehouse.quota.flush-interval", defaultValue = "50ms")
                    Duration interval) {
        this.sender = new EventSender(emitter);
        this.quotas = quotas;
        this.vertx = vertx;
        this.nodeId = node.id();
        this.interval = interval;
    }

    /** This node's id as it appears in its usage deltas. */
    public String nodeId() {
        return nodeId;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> flush());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
        flush();
    }

    /**
     * Flushes at once instead of at the next interval: a quota close to its end is shared by every
     * node, so the others should hear of this node's count without waiting.
     */
    public void flushSoon() {
        if (flushScheduled.compareAndSet(false, true)) {
            vertx.runOnContext(
                    ignored -> {
                        flushScheduled.set(false);
                        flush();
                    });
        }
    }

    void flush() {
        quotas.drain(
                (digest, scope, delta, renewalRate) -> {
                    String data =
                            TykJson.encode(new UsageDelta(nodeId, scope, delta, renewalRate))
                                    .stripTrailing();
                    var envelope =
                            new EventEnvelope(
                                    UUID.randomUUID().toString(),
                                    SOURCE,
                                    EventTypes.USAGE_RECORDED,
                                    digest,
                                    Instant.now(),
                                    nodeId,
                                    null,
                                    0,
                                    data);
                    try {
                        sender.send(Topics.USAGE.name(), envelope)
                                .subscribe()
                                .with(
                                        sent -> {},
                                        failure -> {
                                            LOGGER.warnf(
                                                    "usage report not taken by the broker, kept for the next flush: %s",
                                                    failure.getMessage());
                                            quotas.restore(digest, scope, delta);
                                        });
                    } catch (RuntimeException e) {
                        quotas.restore(digest, scope, delta);
                    }
                });
    }
}
