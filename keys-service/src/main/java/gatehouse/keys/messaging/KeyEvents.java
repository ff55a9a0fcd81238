package gatehouse.keys.messaging;

import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.events.EventEnvelope;

/** Builds the events keys-service emits. */
public final class KeyEvents {

    /** CloudEvents {@code source} of every keys-service event. */
    public static final String SOURCE = "/gatehouse/keys-service";

    private KeyEvents() {}

    /** A new event about one aggregate (a key digest, an org id), timestamped now. */
    public static EventEnvelope event(
            String type, String aggregateId, long version, ChangeOrigin origin, String data) {
        return EventEnvelope.now(SOURCE, type, aggregateId, version, origin, data);
    }
}
