package gatehouse.dashboard.common.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import jakarta.ws.rs.core.Response;

/** Reading request bodies and writing the Dashboard's bodies. */
public final class Bodies {

    private Bodies() {}

    /**
     * The body as a JSON object.
     *
     * @throws DashboardException 403 with the given text (Tyk's {@code Request body malformed} in
     *     the endpoint's spelling) when it is not one
     */
    public static ObjectNode object(String body, String malformed) {
        ObjectNode object = TykJson.readObject(body);
        if (object == null) {
            throw new DashboardException(403, malformed);
        }
        return object;
    }

    /** A 200 JSON body as Go writes it. */
    public static Response ok(Object body) {
        return gatehouse.contracts.http.TykResponses.ok(body);
    }

    /** A 200 envelope. */
    public static Response ok(String message, Object meta) {
        return ok(DashboardReply.ok(message, meta));
    }

    /** Parses {@code p}: null when absent or not a number (the first page). */
    public static Integer page(String p) {
        if (p == null || p.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(p.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
