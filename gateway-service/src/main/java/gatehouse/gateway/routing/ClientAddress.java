package gatehouse.gateway.routing;

/**
 * Tyk's real IP of a request, the one reading of it that the IP rules and the analytics records
 * share: {@code X-Real-IP}, else the first {@code X-Forwarded-For} hop, else the peer.
 */
public final class ClientAddress {

    private ClientAddress() {}

    /**
     * The client's address as text.
     *
     * @param realIp the X-Real-IP header, or null (always null when forwarded headers are not
     *     trusted)
     * @param forwardedFor the X-Forwarded-For header, or null (likewise)
     * @param peer the connection's peer address, or null
     * @return the address, or null when none is known
     */
    public static String of(String realIp, String forwardedFor, String peer) {
        if (realIp != null && !realIp.isBlank()) {
            return realIp.trim();
        }
        if (forwardedFor != null && !forwardedFor.isBlank()) {
            int comma = forwardedFor.indexOf(',');
            return (comma < 0 ? forwardedFor : forwardedFor.substring(0, comma)).trim();
        }
        return peer;
    }
}
