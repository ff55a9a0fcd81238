package gatehouse.contracts.events;

import java.util.Map;

/**
 * A Kafka topic of the suite with the settings it is created with.
 *
 * @param name the topic name, e.g. {@code gatehouse.apis}
 * @param partitions partition count at creation
 * @param compacted true for state topics (latest event per key is the current state)
 * @param extraConfigs further topic configs (retention, timestamp type)
 */
public record Topic(
        String name, int partitions, boolean compacted, Map<String, String> extraConfigs) {

    /** The topic configs to create it with. */
    public Map<String, String> configs() {
        var configs = new java.util.HashMap<>(extraConfigs);
        configs.put("cleanup.policy", compacted ? "compact" : "delete");
        return Map.copyOf(configs);
    }
}
