package gatehouse.admin.messaging;

import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.events.EventEnvelope;

/** Builds the events admin-service emits. */
public final class AdminEvents {

    /** CloudEvents {@code source} of every admin-service event. */
    public static final String SOURCE = "/gatehouse/admin-service";

    private AdminEvents() {}

    /** A new event about one aggregate, timestamped now. */
    public static EventEnvelope event(
            String type, String aggregateId, long version, ChangeOrigin origin, String data) {
        return EventEnvelope.now(SOURCE, type, aggregateId, version, origin, data);
    }
}
