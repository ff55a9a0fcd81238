package gatehouse.contracts.events;

/** CloudEvents {@code type} values used on the state topics. */
public final class EventTypes {

    /** An API definition was created or changed; data is the whole definition. */
    public static final String API_UPSERTED = "io.gatehouse.api.upserted";
    /** An API definition was deleted; the record value is null. */
    public static final String API_DELETED = "io.gatehouse.api.deleted";

    private EventTypes() {
    }
}
