package gatehouse.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what a topic of the test broker holds, from the beginning to its current end. */
public final class TopicRecords {

    private TopicRecords() {}

    /** Every record of the topic, partition by partition. */
    public static List<ConsumerRecord<String, String>> all(String topic) {
        try (var consumer =
                new KafkaConsumer<>(
                        Map.<String, Object>of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                TestInfrastructure.get().kafkaBootstrap()),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The records of the topic with the given key. */
    public static List<ConsumerRecord<String, String>> withKey(String topic, String key) {
        return all(topic).stream().filter(record -> key.equals(record.key())).toList();
    }

    /**
     * Publishes an event as the owners do (CloudEvents headers, keyed by subject), standing in for
     * an owner the test does not run; waits for the broker's acknowledgement.
     */
    public static void publish(String topic, gatehouse.contracts.events.EventEnvelope event) {
        try (var producer =
                new org.apache.kafka.clients.producer.KafkaProducer<>(
                        Map.<String, Object>of(
                                org.apache.kafka.clients.producer.ProducerConfig
                                        .BOOTSTRAP_SERVERS_CONFIG,
                                TestInfrastructure.get().kafkaBootstrap()),
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.StringSerializer())) {
            var record =
                    new org.apache.kafka.clients.producer.ProducerRecord<>(
                            topic, event.subject(), event.data());
            gatehouse.contracts.events.CloudEventCodec.headers(event)
                    .forEach(record.headers()::add);
            producer.send(record).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /**
     * Publishes an owner's event about one aggregate, timestamped now, its version the current time
     * (so a later call is newer); {@code data} null for a deletion.
     */
    public static void publish(String topic, String type, String subject, String data) {
        publish(
                topic,
                new gatehouse.contracts.events.EventEnvelope(
                        java.util.UUID.randomUUID().toString(),
                        "/test",
                        type,
                        subject,
                        java.time.Instant.now(),
                        "test",
                        null,
                        System.currentTimeMillis(),
                        data));
    }

    /** Publishes a raw value under a key, as someone with write access to the broker could. */
    public static void publishRaw(String topic, String key, String value) {
        try (var producer =
                new org.apache.kafka.clients.producer.KafkaProducer<>(
                        Map.<String, Object>of(
                                org.apache.kafka.clients.producer.ProducerConfig
                                        .BOOTSTRAP_SERVERS_CONFIG,
                                TestInfrastructure.get().kafkaBootstrap()),
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, value))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /** A header's text, or null. */
    public static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
