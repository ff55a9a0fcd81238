package gatehouse.gateway.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import gatehouse.contracts.events.CloudEventCodec;
import gatehouse.contracts.events.MalformedEventException;
import gatehouse.contracts.events.TopicProvisioner;
import gatehouse.contracts.events.Topics;
import gatehouse.gateway.routing.RoutingTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Builds this node's state from the compacted state topics and keeps it current (DESIGN.md §4).
 * Every node reads every partition from the beginning with no consumer group, so each replica sees
 * every event; the node is caught up once it has read to the end offsets it saw at start. Runs on one
 * thread of its own: the request path only reads the published {@link RoutingTable}.
 */
@ApplicationScoped
public class StateReplicator {

    private static final Logger LOGGER = Logger.getLogger(StateReplicator.class);

    private final String bootstrapServers;
    private final String nodeId;
    private final short replicationFactor;
    private final RoutingTableHolder tables;
    private final Counter malformed;
    private final AtomicLong lastPoll = new AtomicLong();
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    StateReplicator(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                    NodeIdentity node,
                    @ConfigProperty(name = "gatehouse.topics.replication-factor", defaultValue = "1") short replicationFactor,
                    RoutingTableHolder tables, MeterRegistry meters) {
        this.bootstrapServers = bootstrapServers;
        this.nodeId = node.id();
        this.replicationFactor = replicationFactor;
        this.tables = tables;
        this.malformed = Counter.builder("gatehouse.events.malformed")
                .description("events on the state topics that could not be applied and were skipped")
                .register(meters);
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "gatehouse-state-replicator");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(5000);
        }
    }

    /** True once the state read at start has been applied. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** When the broker last answered a poll, or null before the first. */
    public Instant lastPoll() {
        long millis = lastPoll.get();
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    /** Events skipped because they could not be applied. */
    public long malformedCount() {
        return (long) malformed.count();
    }

    private void run() {
        while (running) {
            try {
                TopicProvisioner.ensure(bootstrapServers, Topics.ALL, replicationFactor, Duration.ofSeconds(10));
                replicate();
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                // keep serving the last known good state; try again shortly
                LOGGER.warnf("state replication interrupted, serving the last known state: %s", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void replicate() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-" + nodeId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        ApiRegistry apis = new ApiRegistry();
        try (var kafka = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = kafka;
            List<TopicPartition> partitions = kafka.partitionsFor(Topics.APIS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            Map<TopicPartition, Long> startEnd = kafka.endOffsets(partitions);
            long started = System.nanoTime();
            while (running) {
                var records = kafka.poll(Duration.ofMillis(250));
                lastPoll.set(System.currentTimeMillis());
                boolean changed = false;
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    changed |= applySafely(apis, record);
                }
                if (changed || !caughtUp) {
                    tables.publish(apis.table());
                }
                if (!caughtUp && partitions.stream().allMatch(p -> kafka.position(p) >= startEnd.get(p))) {
                    caughtUp = true;
                    LOGGER.infof("node %s caught up with %s: %d APIs in %d ms", nodeId, Topics.APIS.name(),
                            tables.current().apiCount(), (System.nanoTime() - started) / 1_000_000);
                }
            }
        } finally {
            consumer = null;
        }
    }

    private boolean applySafely(ApiRegistry apis, ConsumerRecord<byte[], byte[]> record) {
        try {
            return apis.apply(CloudEventCodec.read(name -> {
                Header header = record.headers().lastHeader(name);
                return header == null ? null : header.value();
            }, record.value()));
        } catch (MalformedEventException e) {
            malformed.increment();
            LOGGER.warnf("skipped malformed event at %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return false;
        }
    }
}
