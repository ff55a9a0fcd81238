package gatehouse.gateway;

import gatehouse.contracts.events.CloudEventCodec;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.testsupport.TestInfrastructure;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes API definitions on {@code gatehouse.apis} as admin-service would, for tests of the data
 * plane.
 */
public final class TestApis {

    private TestApis() {}

    /** Publishes each definition (by api_id) as version 1 and waits until the broker has them. */
    public static void publish(Map<String, String> apis) throws Exception {
        try (var producer =
                new KafkaProducer<>(
                        Map.<String, Object>of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                TestInfrastructure.get().kafkaBootstrap()),
                        new StringSerializer(),
                        new StringSerializer())) {
            for (var api : apis.entrySet()) {
                var record =
                        new ProducerRecord<String, String>(
                                Topics.APIS.name(), api.getKey(), api.getValue());
                CloudEventCodec.headers(
                                new EventEnvelope(
                                        UUID.randomUUID().toString(),
                                        "/test",
                                        EventTypes.API_UPSERTED,
                                        api.getKey(),
                                        Instant.now(),
                                        "test",
                                        null,
                                        1,
                                        api.getValue()))
                        .forEach((name, value) -> record.headers().add(name, value));
                producer.send(record).get();
            }
        }
    }
}
