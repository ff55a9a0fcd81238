package gatehouse.admin.audit.messaging;

import gatehouse.contracts.audit.AuditRecord;
import gatehouse.contracts.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads {@code gatehouse.audit} for one query: its own consumer, no group, no committed offsets.
 * Ranges are found with the broker's time index (the topic is {@code LogAppendTime}), so a query
 * for a window reads only that window. Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class AuditTopicReader {

    private final String bootstrapServers;
    private final String topic;
    private final Duration timeout;

    AuditTopicReader(
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "gatehouse.audit.topic", defaultValue = "gatehouse.audit")
                    String topic,
            @ConfigProperty(name = "gatehouse.audit.read-timeout", defaultValue = "30s")
                    Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic == null || topic.isBlank() ? Topics.AUDIT.name() : topic;
        this.timeout = timeout;
    }

    /** Thrown when the broker cannot be reached or does not answer within the read timeout. */
    public static final class LogUnavailableException extends RuntimeException {
        LogUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Hands every record appended in {@code [from, until]} (broker time) to the sink, partition by
     * partition in offset order.
     *
     * @param from null for the beginning
     * @param until null for the current end
     * @return records read
     */
    public long scan(Instant from, Instant until, Consumer<AuditRecord> sink) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(32 * 1024 * 1024));
        props.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Integer.toString(16 * 1024 * 1024));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer = new KafkaConsumer<String, String>(props)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return 0;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.stream()
                    .sorted(Comparator.comparingInt(PartitionInfo::partition))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, timeout);
            if (from != null) {
                starts = offsetsAt(consumer, partitions, from, ends);
            }
            if (until != null) {
                Map<TopicPartition, Long> bounded =
                        offsetsAt(consumer, partitions, until.plusMillis(1), ends);
                ends = bounded;
            }
            long read = 0;
            for (TopicPartition partition : partitions) {
                long start = starts.get(partition);
                long end = ends.get(partition);
                if (start >= end) {
                    continue;
                }
                consumer.assign(List.of(partition));
                consumer.seek(partition, start);
                while (consumer.position(partition, timeout) < end) {
                    if (System.nanoTime() > deadline) {
                        throw new LogUnavailableException(
                                "the audit log was not read within " + timeout, null);
                    }
                    for (ConsumerRecord<String, String> record :
                            consumer.poll(Duration.ofMillis(500))) {
                        if (record.offset() >= end) {
                            break;
                        }
                        read++;
                        sink.accept(
                                AuditRecord.parse(
                                        record.partition(),
                                        record.offset(),
                                        Instant.ofEpochMilli(record.timestamp()),
                                        record.value()));
                    }
                }
            }
            return read;
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new LogUnavailableException(
                    "the audit log (Kafka topic " + topic + ") cannot be read: " + e.getMessage(),
                    e);
        }
    }

    /** The first offset at or after the instant in each partition; the end when there is none. */
    private static Map<TopicPartition, Long> offsetsAt(
            KafkaConsumer<String, String> consumer,
            List<TopicPartition> partitions,
            Instant at,
            Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, at.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp hit = found.get(partition);
            offsets.put(partition, hit == null ? ends.get(partition) : hit.offset());
        }
        return offsets;
    }
}
