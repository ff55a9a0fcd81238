package gatehouse.contracts.tyk;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Tyk's status envelope: {@code {"status":"error","message":"..."}} or {@code {"status":"ok",...}}.
 *
 * @param status {@code ok} or {@code error}
 * @param message the human-readable text, exactly as Tyk words it
 */
@JsonPropertyOrder({"status", "message"})
public record StatusMessage(String status, String message) {

    /** An error envelope with Tyk's text. */
    public static StatusMessage error(String message) {
        return new StatusMessage("error", message);
    }

    /** A success envelope with a message. */
    public static StatusMessage ok(String message) {
        return new StatusMessage("ok", message);
    }
}
