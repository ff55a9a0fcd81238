package gatehouse.contracts.events;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the suite's topics that do not exist yet, with their cleanup policies. Every service
 * calls it for the topics it writes or reads, so start order does not matter.
 */
public final class TopicProvisioner {

    private TopicProvisioner() {}

    /**
     * An admin client that gives up after the timeout (the API timeout may not be below the request
     * one).
     */
    private static Map<String, Object> adminConfig(String bootstrapServers, Duration timeout) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        (int) Math.min(timeout.toMillis(), 10_000));
    }

    /**
     * True when nothing was ever written to the topic (every partition's end offset is 0): a new or
     * wiped broker, whose state topics an owner must fill again from its database.
     */
    public static boolean neverWritten(String bootstrapServers, String topic, Duration timeout) {
        try (Admin admin = Admin.create(adminConfig(bootstrapServers, timeout))) {
            var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>
                    latest = new java.util.HashMap<>();
            description
                    .partitions()
                    .forEach(
                            p ->
                                    latest.put(
                                            new org.apache.kafka.common.TopicPartition(
                                                    topic, p.partition()),
                                            org.apache.kafka.clients.admin.OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream()
                    .allMatch(info -> info.offset() == 0);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not read the offsets of " + topic + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets of " + topic, e);
        }
    }

    /**
     * Ensures the given topics exist.
     *
     * @param bootstrapServers the broker list
     * @param topics the topics to create when missing
     * @param replication replication factor for new topics (1 on one machine)
     * @param timeout how long to keep trying while the broker is not reachable yet
     */
    public static void ensure(
            String bootstrapServers,
            Collection<Topic> topics,
            short replication,
            Duration timeout) {
        try (Admin admin = Admin.create(adminConfig(bootstrapServers, timeout))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing =
                    topics.stream()
                            .filter(t -> !existing.contains(t.name()))
                            .map(
                                    t ->
                                            new NewTopic(t.name(), t.partitions(), replication)
                                                    .configs(t.configs()))
                            .toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var result : admin.createTopics(missing).values().values()) {
                try {
                    result.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not create Kafka topics at "
                            + bootstrapServers
                            + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topics", e);
        }
    }
}
