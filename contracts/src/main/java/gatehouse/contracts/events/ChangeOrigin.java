package gatehouse.contracts.events;

/**
 * Who asked for a change and in which request; carried by every event it causes.
 *
 * @param actor who made the change: an identity or a digest, never a secret
 * @param address the client's address as the service saw it (first X-Forwarded-For hop behind the
 *     gateway)
 * @param requestId the request id ({@code X-Request-Id}), generated when the client sent none
 */
public record ChangeOrigin(String actor, String address, String requestId) {

    /** The actor attribute of the event: {@code actor@address}. */
    public String describe() {
        return address == null || address.isEmpty() ? actor : actor + "@" + address;
    }
}
