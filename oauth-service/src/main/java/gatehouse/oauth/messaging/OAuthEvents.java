package gatehouse.oauth.messaging;

import gatehouse.contracts.events.ChangeOrigin;
import gatehouse.contracts.events.EventEnvelope;

/** Builds the events oauth-service emits. */
public final class OAuthEvents {

    /** CloudEvents {@code source} of every oauth-service event. */
    public static final String SOURCE = "/gatehouse/oauth-service";

    private OAuthEvents() {}

    public static EventEnvelope event(
            String type, String subject, long version, ChangeOrigin origin, String data) {
        return EventEnvelope.now(SOURCE, type, subject, version, origin, data);
    }
}
