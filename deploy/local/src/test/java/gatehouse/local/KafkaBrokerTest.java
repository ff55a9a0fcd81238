package gatehouse.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @Test
    void aRestartedBrokerKeepsItsTopicsAndRecords(@TempDir Path dir) throws Exception {
        // given a broker with one record written
        try (KafkaBroker broker = KafkaBroker.start(dir, Duration.ofSeconds(60))) {
            createTopic(broker, "t");
            try (var producer = producer(broker, Map.of())) {
                producer.send(new ProducerRecord<>("t", "k", "v")).get();
            }
        }
        // when it starts again on the same directory (on other ports)
        try (KafkaBroker broker = KafkaBroker.start(dir, Duration.ofSeconds(60))) {
            // then the record is still there
            try (var consumer =
                    new KafkaConsumer<>(
                            Map.<String, Object>of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    broker.bootstrapServers()),
                            new StringDeserializer(),
                            new StringDeserializer())) {
                TopicPartition partition = new TopicPartition("t", 0);
                consumer.assign(Set.of(partition));
                consumer.seekToBeginning(Set.of(partition));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                String value = null;
                while (value == null && System.nanoTime() < deadline) {
                    for (var record : consumer.poll(Duration.ofMillis(500))) {
                        value = record.value();
                    }
                }
                assertEquals("v", value);
                assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"));
            }
        }
    }

    @Test
    void theBrokerTakesTheLz4BatchesTheGatewaysSend(@TempDir Path dir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir, Duration.ofSeconds(60))) {
            createTopic(broker, "lz4");
            try (var producer =
                    producer(
                            broker,
                            Map.of(
                                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                    true,
                                    ProducerConfig.COMPRESSION_TYPE_CONFIG,
                                    "lz4",
                                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                    10_000,
                                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                    5_000))) {
                // a broker without lz4-java fails this append (the future fails, after retries)
                var written =
                        producer.send(new ProducerRecord<>("lz4", "api", "x".repeat(4096))).get();
                assertEquals(0, written.offset());
            }
        }
    }

    private static void createTopic(KafkaBroker broker, String name) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
        }
    }

    /** A producer that waits for every replica, with {@code settings} on top. */
    private static KafkaProducer<String, String> producer(
            KafkaBroker broker, Map<String, Object> settings) {
        Map<String, Object> config = new java.util.HashMap<>(settings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }
}
