package gatehouse.dashboard.analytics.messaging;

import gatehouse.contracts.analytics.AnalyticsBatch;
import gatehouse.contracts.analytics.AnalyticsRecord;
import gatehouse.contracts.events.Topics;
import gatehouse.dashboard.analytics.persistence.AggregateWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Folds {@code gatehouse.analytics} into the aggregates exactly once (ADR 0012): the consumer's
 * position lives in PostgreSQL beside the counts, written in the same transaction, and Kafka's
 * committed offsets are never trusted. On every assignment the consumer seeks to the stored
 * position; a failed transaction seeks back to it, so a crash, a rollback or a rebalance replays
 * exactly what was not counted.
 */
@ApplicationScoped
public class AnalyticsAggregator {

    private static final Logger LOGGER = Logger.getLogger(AnalyticsAggregator.class);
    private static final String TOPIC = Topics.ANALYTICS.name();
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

    private final AggregateWriter writer;
    private final Optional<String> bootstrap;
    private final boolean enabled;
    private final Duration rawRetention;
    private final Duration hourlyRetention;
    private final Counter counted;
    private final Counter unreadable;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private volatile long lag = -1;

    AnalyticsAggregator(
            AggregateWriter writer,
            MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrap,
            @ConfigProperty(name = "gatehouse.analytics.aggregate", defaultValue = "true")
                    boolean enabled,
            @ConfigProperty(name = "gatehouse.analytics.raw-retention", defaultValue = "7d")
                    Duration rawRetention,
            @ConfigProperty(name = "gatehouse.analytics.hourly-retention", defaultValue = "90d")
                    Duration hourlyRetention) {
        this.writer = writer;
        this.bootstrap = bootstrap;
        this.enabled = enabled;
        this.rawRetention = rawRetention;
        this.hourlyRetention = hourlyRetention;
        this.counted = registry.counter("gatehouse_analytics_records_aggregated");
        this.unreadable = registry.counter("gatehouse_analytics_batches_unreadable");
        registry.gauge("gatehouse_analytics_aggregator_lag", this, AnalyticsAggregator::lag);
    }

    void start(@Observes StartupEvent event) {
        if (!enabled || bootstrap.isEmpty() || bootstrap.get().isBlank()) {
            LOGGER.info("analytics aggregation is off: no kafka.bootstrap.servers");
            return;
        }
        running = true;
        thread = new Thread(this::run, "analytics-aggregator");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Kafka records (batches) not yet counted, summed over the assigned partitions; -1 before the
     * first poll.
     */
    public double lag() {
        return lag;
    }

    private void run() {
        Instant nextPrune = Instant.now();
        Instant nextLag = Instant.now();
        while (running) {
            // unknown until this consumer has measured it: a lag of 0 left from before a failure
            // would say "caught up" while the broker is away and the records wait
            lag = -1;
            try (KafkaConsumer<String, byte[]> created = new KafkaConsumer<>(properties())) {
                consumer = created;
                assignAll(created);
                while (running) {
                    ConsumerRecords<String, byte[]> records = created.poll(Duration.ofMillis(500));
                    if (!records.isEmpty()) {
                        count(records);
                    }
                    if (records.isEmpty() || Instant.now().isAfter(nextLag)) {
                        lag = lagOf(created);
                        nextLag = Instant.now().plusSeconds(1);
                    }
                    if (Instant.now().isAfter(nextPrune)) {
                        prune();
                        nextPrune = Instant.now().plus(PRUNE_EVERY);
                    }
                }
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                lag = -1;
                LOGGER.warnf("analytics consumer failed, restarting it: %s", e.toString());
                pause(Duration.ofSeconds(1));
            } catch (Error e) {
                // a process whose aggregator died would look alive and count nothing: it exits,
                // to be restarted (by ./gatehouse up or Kubernetes) where the stored offsets say
                lag = -1;
                LOGGER.errorf(e, "the analytics aggregator failed; the service exits");
                running = false;
                Quarkus.asyncExit(70);
            }
        }
    }

    private void count(ConsumerRecords<String, byte[]> records) {
        List<AggregateWriter.Slice> slices = new ArrayList<>();
        // partitions in one order, so two replicas lock the offset rows in the same order
        List<TopicPartition> partitions = new ArrayList<>(records.partitions());
        partitions.sort(java.util.Comparator.comparingInt(TopicPartition::partition));
        for (TopicPartition partition : partitions) {
            List<AggregateWriter.Batch> batches = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                batches.add(new AggregateWriter.Batch(record.offset(), decode(record)));
            }
            slices.add(new AggregateWriter.Slice(partition.partition(), batches));
        }
        Duration backoff = Duration.ofMillis(200);
        while (running) {
            try {
                counted.increment(writer.write(TOPIC, slices, !rawRetention.isZero()));
                return;
            } catch (java.sql.SQLException | RuntimeException e) {
                // nothing of this poll is counted: try again; the stored offsets decide what counts
                LOGGER.warnf(
                        "analytics not stored, retrying in %d ms: %s",
                        backoff.toMillis(), e.getMessage());
                pause(backoff);
                backoff =
                        backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                                ? Duration.ofSeconds(5)
                                : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Takes every partition and starts each where the aggregates stand. No consumer group: a
     * restarted aggregator (after a kill -9, say) starts at once instead of waiting out the dead
     * member's session, and replicas need no rebalance, since the locked offset rows already keep
     * two of them from counting a record twice.
     */
    private void assignAll(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        while (running && partitions.isEmpty()) {
            var infos = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10));
            if (infos != null) {
                infos.forEach(info -> partitions.add(new TopicPartition(TOPIC, info.partition())));
            }
            if (partitions.isEmpty()) {
                pause(Duration.ofSeconds(1)); // the topic is not created yet
            }
        }
        consumer.assign(partitions);
        seekToStored(consumer, partitions);
    }

    private void seekToStored(
            KafkaConsumer<String, byte[]> consumer, Collection<TopicPartition> partitions) {
        try {
            Map<Integer, Long> stored = writer.positions(TOPIC);
            for (TopicPartition partition : partitions) {
                Long next = stored.get(partition.partition());
                if (next == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, next);
                }
            }
        } catch (java.sql.SQLException e) {
            // without the stored positions nothing may be counted: the consumer starts over
            throw new IllegalStateException("analytics positions unreadable: " + e.getMessage(), e);
        }
    }

    private List<AnalyticsRecord> decode(ConsumerRecord<String, byte[]> record) {
        try {
            return record.value() == null ? List.of() : AnalyticsBatch.decode(record.value());
        } catch (IllegalArgumentException e) {
            unreadable.increment();
            LOGGER.warnf(
                    "skipped an unreadable analytics batch at %s-%d@%d: %s",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return List.of();
        }
    }

    private static long lagOf(KafkaConsumer<String, byte[]> consumer) {
        var assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return -1; // nothing to measure against yet
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(1));
        long total = 0;
        for (TopicPartition partition : assigned) {
            total += Math.max(0, ends.getOrDefault(partition, 0L) - consumer.position(partition));
        }
        return total;
    }

    private void prune() {
        try {
            Instant now = Instant.now();
            int removed = writer.prune(now.minus(rawRetention), now.minus(hourlyRetention));
            if (removed > 0) {
                LOGGER.infof("pruned %d analytics rows past their retention", removed);
            }
        } catch (java.sql.SQLException | RuntimeException e) {
            LOGGER.warnf("analytics pruning failed, will retry: %s", e.getMessage());
        }
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.orElseThrow());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // a Kafka record is a gateway's batch of up to 500 analytics records: 20 of them are a
        // transaction of at most 10,000, which a 256 MB heap holds (500 held 250,000 and ran out)
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        properties.put(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return properties;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
