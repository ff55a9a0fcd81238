package gatehouse.contracts.events;

/** CloudEvents {@code type} values used on the state topics. */
public final class EventTypes {

    /** An API definition was created or changed; data is the whole definition. */
    public static final String API_UPSERTED = "io.gatehouse.api.upserted";
    /** An API definition was deleted; the record value is null. */
    public static final String API_DELETED = "io.gatehouse.api.deleted";

    /** A policy was created or changed; data is the whole policy. */
    public static final String POLICY_UPSERTED = "io.gatehouse.policy.upserted";
    /** A policy was deleted; the record value is null. */
    public static final String POLICY_DELETED = "io.gatehouse.policy.deleted";

    private EventTypes() {
    }
}
