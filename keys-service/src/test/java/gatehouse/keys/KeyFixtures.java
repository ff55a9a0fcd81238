package gatehouse.keys;

import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.testsupport.TopicRecords;
import java.time.Instant;
import java.util.UUID;

/** What keys-service tests need from the other owners, published as those owners would. */
final class KeyFixtures {

    private static long version = System.currentTimeMillis();

    private KeyFixtures() {}

    /** Publishes a policy on gatehouse.policies as admin-service does. */
    static synchronized void publishPolicy(String id, String document) {
        version++;
        TopicRecords.publish(
                Topics.POLICIES.name(),
                new EventEnvelope(
                        UUID.randomUUID().toString(),
                        "/gatehouse/admin-service",
                        EventTypes.POLICY_UPSERTED,
                        id,
                        Instant.now(),
                        "test",
                        "test",
                        version,
                        document.replace("\n", "")));
    }
}
