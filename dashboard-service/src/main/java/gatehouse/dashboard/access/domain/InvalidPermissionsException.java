package gatehouse.dashboard.access.domain;

/** A {@code user_permissions} map that cannot be stored: a value that is not a known level. */
public class InvalidPermissionsException extends RuntimeException {

    public InvalidPermissionsException(String message) {
        super(message, null, false, false);
    }
}
