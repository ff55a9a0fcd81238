package gatehouse.contracts.events;

/**
 * Who asked for a change and in which request; carried by every event it causes.
 *
 * @param actor who made the change: an identity or a digest, never a secret
 * @param address the client's address, read through the trusted proxy chain
 * @param requestId the request id ({@code X-Request-Id}), generated when the client sent none
 * @param authMethod how the actor was authenticated ({@code x-tyk-authorization}, {@code
 *     x-tyk-authorization+<identity header>}, {@code internal} for the service's own work)
 */
public record ChangeOrigin(String actor, String address, String requestId, String authMethod) {

    /** A change the service makes itself or on behalf of a caller it names (no request). */
    public ChangeOrigin(String actor, String address, String requestId) {
        this(actor, address, requestId, "internal");
    }

    /** The actor attribute of the event: {@code actor@address}. */
    public String describe() {
        return address == null || address.isEmpty() ? actor : actor + "@" + address;
    }
}
