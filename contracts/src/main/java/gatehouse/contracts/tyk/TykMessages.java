package gatehouse.contracts.tyk;

/** Tyk's error and status texts, word for word (casing and punctuation included). */
public final class TykMessages {

    public static final String ADMIN_ACCESS_DENIED =
            "Attempted administrative access with invalid or missing key!";
    public static final String METHOD_NOT_SUPPORTED = "Method not supported";
    public static final String REQUEST_MALFORMED = "Request malformed";
    public static final String API_NOT_FOUND = "API not found";
    public static final String INVALID_API_ID = "Invalid API ID";

    /** Go's mux answer for an unknown control path (plain text, with newline). */
    public static final String CONTROL_PATH_NOT_FOUND = "404 page not found\n";

    /** The data plane's answer for a path no API listens on (plain text, no newline). */
    public static final String DATA_PATH_NOT_FOUND = "Not Found";

    private TykMessages() {}
}
