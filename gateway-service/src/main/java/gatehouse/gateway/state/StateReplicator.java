package gatehouse.gateway.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import gatehouse.contracts.cluster.ClusterCommand;
import gatehouse.contracts.cluster.NodeStatus;
import gatehouse.contracts.events.CloudEventCodec;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.MalformedEventException;
import gatehouse.contracts.events.TopicProvisioner;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.keys.UsageDelta;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.gateway.certs.CertificateRegistry;
import gatehouse.gateway.keys.KeyRegistry;
import gatehouse.gateway.keys.QuotaCounters;
import gatehouse.gateway.routing.RoutingTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Builds this node's state from the topics and keeps it current (DESIGN.md §4, §5). One consumer on
 * a thread of its own, with no consumer group so every replica sees every event:
 *
 * <ul>
 *   <li>{@code gatehouse.apis} and {@code gatehouse.policies} from the beginning; the node is
 *       caught up once it has read to the end offsets it saw at start;
 *   <li>{@code gatehouse.nodes} from the beginning: the other nodes' heartbeats ({@link
 *       ClusterView});
 *   <li>{@code gatehouse.cluster} from its end at start: broadcast commands such as a group reload.
 * </ul>
 *
 * A reload re-reads the state topics into fresh registries while the current table keeps serving,
 * then swaps it in whole. The request path only reads the published {@link RoutingTable}.
 */
@ApplicationScoped
public class StateReplicator {

    private static final Logger LOGGER = Logger.getLogger(StateReplicator.class);
    private static final int ACKNOWLEDGED_KEPT = 32;

    private final String bootstrapServers;
    private final String nodeId;
    private final short replicationFactor;
    private final RoutingTableHolder tables;
    private final PolicyHolder policyHolder;
    private final RoutingTable.Options routingOptions;
    private final ClusterView cluster;
    private final KeyRegistry keys;
    private final QuotaCounters quotas;
    private final CertificateRegistry certificates;
    private final Counter malformed;
    private final AtomicLong lastPoll = new AtomicLong();
    private final Queue<CompletableFuture<Void>> reloadRequests = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<String> acknowledged = new ArrayDeque<>();
    private volatile Runnable onAcknowledged = () -> {};
    private volatile boolean caughtUp;

    /** Serving the local snapshot because the broker could not be reached at start. */
    private volatile boolean servingSnapshot;

    /** Why this node is not ready, when it is not. */
    private volatile String notReadyReason = "A successful API reload did not happen";

    /** This process has read the state topics to their end at least once. */
    private boolean brokerCaughtUp;

    private final StateSnapshot snapshot;
    private final long serveSnapshotAfterNanos;
    private final long startedNanos = System.nanoTime();
    private long snapshotWrittenNanos;
    private long snapshotIntervalNanos = 1_000_000_000L;
    private boolean snapshotTried;

    /** The APIs and policies read at start are applied; the keys may still be loading. */
    private boolean stateLoaded;

    private Map<TopicPartition, Long> keysTarget = Map.of();
    private volatile boolean running = true;
    private volatile long appliedOffset;
    private volatile long lag;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread thread;

    /** The registries in force; confined to the replicator thread. */
    private ApiRegistry live;

    private PolicyRegistry livePolicies;

    StateReplicator(
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            NodeIdentity node,
            @ConfigProperty(name = "gatehouse.topics.replication-factor", defaultValue = "1")
                    short replicationFactor,
            RoutingTableHolder tables,
            PolicyHolder policyHolder,
            ClusterView cluster,
            MeterRegistry meters,
            KeyRegistry keys,
            QuotaCounters quotas,
            CertificateRegistry certificates,
            @ConfigProperty(name = "gatehouse.http.enable-strict-routes", defaultValue = "false")
                    boolean strictRoutes,
            @ConfigProperty(name = "gatehouse.http.enable-custom-domains", defaultValue = "false")
                    boolean customDomains,
            @ConfigProperty(
                            name = "gatehouse.http.enable-path-prefix-matching",
                            defaultValue = "false")
                    boolean prefixMatching,
            @ConfigProperty(
                            name = "gatehouse.http.enable-path-suffix-matching",
                            defaultValue = "false")
                    boolean suffixMatching,
            @ConfigProperty(name = "gatehouse.http.ignore-endpoint-case", defaultValue = "false")
                    boolean ignoreCase,
            @ConfigProperty(name = "gatehouse.snapshot.path", defaultValue = "none")
                    String snapshotPath,
            @ConfigProperty(name = "gatehouse.snapshot.serve-after", defaultValue = "5s")
                    Duration serveSnapshotAfter) {
        this.snapshot =
                snapshotPath.isBlank() || snapshotPath.equals("none")
                        ? null
                        : new StateSnapshot(java.nio.file.Path.of(snapshotPath));
        this.serveSnapshotAfterNanos = serveSnapshotAfter.toNanos();
        this.bootstrapServers = bootstrapServers;
        this.nodeId = node.id();
        this.replicationFactor = replicationFactor;
        this.tables = tables;
        this.policyHolder = policyHolder;
        this.routingOptions =
                new RoutingTable.Options(
                        strictRoutes,
                        customDomains,
                        new gatehouse.gateway.routing.Versioning.Matching(
                                prefixMatching, suffixMatching, ignoreCase));
        this.cluster = cluster;
        this.keys = keys;
        this.quotas = quotas;
        this.certificates = certificates;
        this.malformed =
                Counter.builder("gatehouse.events.malformed")
                        .description(
                                "events on the state topics that could not be applied and were skipped")
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

    /** Called after a cluster command was carried out, so the acknowledgement goes out at once. */
    public void onAcknowledged(Runnable callback) {
        this.onAcknowledged = callback;
    }

    /**
     * Rebuilds the routing table from {@code gatehouse.apis}. Requests that arrive while a rebuild
     * runs are served together by the next one, as Tyk's reload queue coalesces them.
     *
     * @return completes once the rebuilt table is in force
     */
    public CompletableFuture<Void> reload() {
        var done = new CompletableFuture<Void>();
        reloadRequests.add(done);
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null && Thread.currentThread() != thread) {
            current.wakeup(); // cut the poll short; the replicator thread sees the request at the
            // top of its loop
        }
        return done;
    }

    /** True once the state read at start has been applied. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * True while this node serves its local snapshot because the broker could not be reached at
     * start.
     */
    public boolean servingSnapshot() {
        return servingSnapshot;
    }

    /** Why the node is not ready (for {@code /ready}); meaningless once it is. */
    public String notReadyReason() {
        return notReadyReason;
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

    /** This node's heartbeat as of now. */
    public NodeStatus status() {
        List<String> acks;
        synchronized (acknowledged) {
            acks = List.copyOf(acknowledged);
        }
        return new NodeStatus(
                nodeId,
                caughtUp,
                tables.current().apiCount(),
                appliedOffset,
                lag,
                Instant.now(),
                acks);
    }

    private void run() {
        while (running) {
            try {
                TopicProvisioner.ensure(
                        bootstrapServers, Topics.ALL, replicationFactor, Duration.ofSeconds(10));
                replicate();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                // keep serving the last known good state; try again shortly
                LOGGER.warnf(
                        "state replication interrupted, serving the last known state: %s",
                        e.getMessage());
                if (!caughtUp) {
                    serveSnapshotIfDue();
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * A rebuild in progress: a fresh registry filled from the beginning until the target offsets.
     */
    private record Rebuild(
            ApiRegistry registry,
            PolicyRegistry policies,
            Map<TopicPartition, Long> target,
            List<CompletableFuture<Void>> waiters,
            long startedNanos) {}

    private void replicate() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-" + nodeId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        try (var kafka =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = kafka;
            // the state topics: what a reload re-reads
            List<TopicPartition> statePartitions =
                    new ArrayList<>(partitions(kafka, Topics.APIS.name()));
            statePartitions.addAll(partitions(kafka, Topics.POLICIES.name()));
            List<TopicPartition> nodePartitions = partitions(kafka, Topics.NODES.name());
            List<TopicPartition> commandPartitions = partitions(kafka, Topics.CLUSTER.name());
            // keys are read once from the beginning and kept current; a reload does not re-read
            // them
            List<TopicPartition> keyPartitions =
                    new ArrayList<>(partitions(kafka, Topics.KEYS.name()));
            keyPartitions.addAll(partitions(kafka, Topics.OAUTH_TOKENS.name()));
            // certificates too: read once, kept current, and read before the node is ready
            keyPartitions.addAll(partitions(kafka, Topics.CERTS.name()));
            List<TopicPartition> usagePartitions = partitions(kafka, Topics.USAGE.name());
            List<TopicPartition> all = new ArrayList<>(statePartitions);
            all.addAll(nodePartitions);
            all.addAll(commandPartitions);
            all.addAll(keyPartitions);
            all.addAll(usagePartitions);
            kafka.assign(all);
            kafka.seekToEnd(commandPartitions);
            commandPartitions.forEach(
                    kafka::position); // pin "the end" now, before any command can be missed
            kafka.seekToEnd(usagePartitions);
            usagePartitions.forEach(kafka::position);
            kafka.seekToBeginning(nodePartitions);
            kafka.seekToBeginning(keyPartitions);
            keysTarget = kafka.endOffsets(keyPartitions);
            // the start is a rebuild with nothing served yet
            reloadRequests.add(new CompletableFuture<>());
            Rebuild rebuild = null;
            while (running) {
                try {
                    rebuild = step(kafka, statePartitions, rebuild);
                } catch (WakeupException e) {
                    // a wake-up may land in any blocking call, not only in poll: the step is simply
                    // redone
                    if (!running) {
                        return;
                    }
                }
            }
        } finally {
            consumer = null;
        }
    }

    /** One poll: apply what came, swap in a finished rebuild, start a requested one. */
    private Rebuild step(
            KafkaConsumer<byte[], byte[]> kafka,
            List<TopicPartition> statePartitions,
            Rebuild current) {
        Rebuild rebuild = current;
        if (rebuild == null && !reloadRequests.isEmpty()) {
            rebuild = startRebuild(kafka, statePartitions);
        }
        ConsumerRecords<byte[], byte[]> records = kafka.poll(Duration.ofMillis(250));
        lastPoll.set(System.currentTimeMillis());
        ApiRegistry target = rebuild != null ? rebuild.registry() : live;
        PolicyRegistry targetPolicies = rebuild != null ? rebuild.policies() : livePolicies;
        boolean changed = false;
        boolean policiesChanged = false;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String topic = record.topic();
            if (snapshot != null && (isApisOrPolicies(topic))) {
                snapshot.remember(record);
            }
            if (topic.equals(Topics.APIS.name())) {
                changed |= applySafely(target, record);
            } else if (topic.equals(Topics.POLICIES.name())) {
                policiesChanged |= applyPolicySafely(targetPolicies, record);
            } else if (topic.equals(Topics.KEYS.name())
                    || topic.equals(Topics.OAUTH_TOKENS.name())) {
                applyKeyAndRemember(record);
            } else if (topic.equals(Topics.CERTS.name())) {
                applyCertificate(record);
            } else if (topic.equals(Topics.USAGE.name())) {
                applyUsage(record);
            } else if (topic.equals(Topics.NODES.name())) {
                applyHeartbeat(record);
            } else {
                applyCommand(record);
            }
        }
        if (rebuild != null && reached(kafka, rebuild.target())) {
            live = rebuild.registry();
            livePolicies = rebuild.policies();
            tables.publish(live.table());
            policyHolder.publish(livePolicies.snapshot());
            finish(rebuild);
            rebuild = null;
        } else if (rebuild == null) {
            if (changed) {
                tables.publish(live.table());
            }
            if (policiesChanged) {
                policyHolder.publish(livePolicies.snapshot());
            }
        }
        if (!brokerCaughtUp && stateLoaded && reached(kafka, keysTarget)) {
            brokerCaughtUp = true;
            if (servingSnapshot) {
                LOGGER.infof(
                        "node %s caught up with the broker; its state replaces the snapshot",
                        nodeId);
            }
            servingSnapshot = false;
            caughtUp = true;
            LOGGER.infof(
                    "node %s caught up: %d APIs, %d policies, %d keys",
                    nodeId,
                    tables.current().apiCount(),
                    policyHolder.current().size(),
                    keys.size());
        }
        if (brokerCaughtUp
                && snapshot != null
                && snapshot.dirty()
                && System.nanoTime() - snapshotWrittenNanos > snapshotIntervalNanos) {
            writeSnapshot();
        }
        track(kafka, statePartitions);
        return rebuild;
    }

    private static boolean isApisOrPolicies(String topic) {
        return topic.equals(Topics.APIS.name()) || topic.equals(Topics.POLICIES.name());
    }

    /**
     * Writes the snapshot, at most once a second and, when it is large, at most once per twenty
     * times its last write took: a node holding a million keys spends a few percent of this thread
     * on it, not all of it.
     */
    private void writeSnapshot() {
        long started = System.nanoTime();
        try {
            snapshot.writeIfChanged(keys::forEachPacked);
        } catch (java.io.IOException e) {
            LOGGER.warnf(
                    "the state snapshot %s could not be written: %s",
                    snapshot.file(), e.getMessage());
        }
        snapshotWrittenNanos = System.nanoTime();
        snapshotIntervalNanos = Math.max(1_000_000_000L, 20 * (snapshotWrittenNanos - started));
    }

    /**
     * The broker could not be reached at start: once {@code gatehouse.snapshot.serve-after} has
     * passed, serve the verified local snapshot, or stay not ready and say why. The broker's state
     * replaces it as soon as it can be read.
     */
    private void serveSnapshotIfDue() {
        if (snapshotTried || System.nanoTime() - startedNanos < serveSnapshotAfterNanos) {
            return;
        }
        snapshotTried = true;
        if (snapshot == null) {
            notReadyReason =
                    "A successful API reload did not happen: the broker is unreachable and no snapshot is configured";
            return;
        }
        StateSnapshot.Loaded loaded;
        try {
            loaded = snapshot.load(keys::offerPacked);
        } catch (StateSnapshot.Unusable e) {
            notReadyReason =
                    "A successful API reload did not happen: the broker is unreachable and "
                            + e.getMessage();
            LOGGER.warnf("not serving a snapshot: %s", e.getMessage());
            return;
        }
        live = new ApiRegistry(routingOptions);
        livePolicies = new PolicyRegistry();
        for (StateSnapshot.Stored stored : loaded.events()) {
            var record = stored.toRecord();
            String topic = stored.topic();
            if (isApisOrPolicies(topic)) {
                snapshot.remember(record);
            }
            if (topic.equals(Topics.APIS.name())) {
                applySafely(live, record);
            } else if (topic.equals(Topics.POLICIES.name())) {
                applyPolicySafely(livePolicies, record);
            } else if (topic.equals(Topics.CERTS.name())) {
                applyCertificate(record);
            } else {
                applyKeyAndRemember(record);
            }
        }
        tables.publish(live.table());
        policyHolder.publish(livePolicies.snapshot());
        servingSnapshot = true;
        caughtUp = true;
        LOGGER.warnf(
                "node %s serves its snapshot of %s (%d APIs, %d policies, %d keys) until the broker can be read",
                nodeId,
                Instant.ofEpochMilli(loaded.writtenAtMillis()),
                tables.current().apiCount(),
                policyHolder.current().size(),
                keys.size());
    }

    private static List<TopicPartition> partitions(
            KafkaConsumer<byte[], byte[]> kafka, String topic) {
        return kafka.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
    }

    private Rebuild startRebuild(
            KafkaConsumer<byte[], byte[]> kafka, List<TopicPartition> statePartitions) {
        // the blocking call comes first, so a wake-up cannot lose requests already taken from the
        // queue
        Map<TopicPartition, Long> target = kafka.endOffsets(statePartitions);
        kafka.seekToBeginning(statePartitions);
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        CompletableFuture<Void> next;
        while ((next = reloadRequests.poll()) != null) {
            waiters.add(next);
        }
        return new Rebuild(
                new ApiRegistry(routingOptions),
                new PolicyRegistry(),
                target,
                waiters,
                System.nanoTime());
    }

    private static boolean reached(
            KafkaConsumer<byte[], byte[]> kafka, Map<TopicPartition, Long> target) {
        return target.entrySet().stream().allMatch(e -> kafka.position(e.getKey()) >= e.getValue());
    }

    private void finish(Rebuild rebuild) {
        long millis = (System.nanoTime() - rebuild.startedNanos()) / 1_000_000;
        if (!stateLoaded) {
            stateLoaded = true;
            LOGGER.infof(
                    "node %s read the APIs and policies: %d APIs, %d policies in %d ms",
                    nodeId, tables.current().apiCount(), policyHolder.current().size(), millis);
        } else {
            LOGGER.infof(
                    "node %s reloaded: %d APIs in %d ms",
                    nodeId, tables.current().apiCount(), millis);
        }
        rebuild.waiters().forEach(waiter -> waiter.complete(null));
    }

    private void track(
            KafkaConsumer<byte[], byte[]> kafka, Collection<TopicPartition> statePartitions) {
        long applied = 0;
        long behind = 0;
        for (TopicPartition partition : statePartitions) {
            applied += kafka.position(partition);
            behind += Math.max(0, kafka.currentLag(partition).orElse(0));
        }
        appliedOffset = applied;
        lag = behind;
    }

    private boolean applySafely(ApiRegistry apis, ConsumerRecord<byte[], byte[]> record) {
        try {
            return apis.apply(envelope(record));
        } catch (MalformedEventException e) {
            skipped(record, e);
            return false;
        }
    }

    private boolean applyPolicySafely(
            PolicyRegistry policies, ConsumerRecord<byte[], byte[]> record) {
        try {
            return policies.apply(envelope(record));
        } catch (MalformedEventException e) {
            skipped(record, e);
            return false;
        }
    }

    /**
     * Applies an event of the keys topics. A key's state is then held by the registry, which the
     * snapshot reads when it is written; any other event (an OAuth client's) is remembered as it
     * came.
     */
    private void applyKeyAndRemember(ConsumerRecord<byte[], byte[]> record) {
        try {
            KeyRegistry.Applied applied = keys.apply(envelope(record));
            if (snapshot != null) {
                if (applied == KeyRegistry.Applied.KEY) {
                    snapshot.keysChanged();
                } else {
                    snapshot.remember(record);
                }
            }
        } catch (MalformedEventException e) {
            skipped(record, e);
        }
    }

    private void applyCertificate(ConsumerRecord<byte[], byte[]> record) {
        if (snapshot != null) {
            snapshot.remember(record);
        }
        try {
            certificates.apply(envelope(record));
        } catch (MalformedEventException e) {
            skipped(record, e);
        }
    }

    private void applyUsage(ConsumerRecord<byte[], byte[]> record) {
        try {
            EventEnvelope event = envelope(record);
            UsageDelta delta = TykJson.MAPPER.readValue(event.data(), UsageDelta.class);
            quotas.seen(
                    event.subject(),
                    delta.scope() == null ? "" : delta.scope(),
                    record.offset(),
                    delta.delta(),
                    nodeId.equals(delta.node()));
        } catch (MalformedEventException | JsonProcessingException | IllegalArgumentException e) {
            skipped(record, e);
        }
    }

    private void applyHeartbeat(ConsumerRecord<byte[], byte[]> record) {
        try {
            EventEnvelope event = envelope(record);
            if (event.isTombstone()) {
                cluster.remove(event.subject());
            } else {
                cluster.update(TykJson.MAPPER.readValue(event.data(), NodeStatus.class));
            }
        } catch (MalformedEventException | JsonProcessingException e) {
            skipped(record, e);
        }
    }

    private void applyCommand(ConsumerRecord<byte[], byte[]> record) {
        try {
            EventEnvelope event = envelope(record);
            ClusterCommand command = TykJson.MAPPER.readValue(event.data(), ClusterCommand.class);
            if (!ClusterCommand.GROUP_RELOAD.equals(command.command())) {
                LOGGER.warnf("ignored unknown cluster command %s", command.command());
                return;
            }
            LOGGER.infof("group reload %s requested by %s", command.id(), command.issuedBy());
            reload().thenRun(
                            () -> {
                                synchronized (acknowledged) {
                                    acknowledged.addLast(command.id());
                                    while (acknowledged.size() > ACKNOWLEDGED_KEPT) {
                                        acknowledged.removeFirst();
                                    }
                                }
                                onAcknowledged.run();
                            });
        } catch (MalformedEventException | JsonProcessingException | IllegalArgumentException e) {
            skipped(record, e);
        }
    }

    private static EventEnvelope envelope(ConsumerRecord<byte[], byte[]> record) {
        return CloudEventCodec.read(
                name -> {
                    Header header = record.headers().lastHeader(name);
                    return header == null ? null : header.value();
                },
                record.value());
    }

    private void skipped(ConsumerRecord<byte[], byte[]> record, Exception e) {
        malformed.increment();
        LOGGER.warnf(
                "skipped malformed event at %s-%d@%d: %s",
                record.topic(), record.partition(), record.offset(), e.getMessage());
    }
}
